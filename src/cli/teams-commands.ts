import { resolve } from 'node:path';
import type { CommandSpec } from '../core/command.js';
import { OpsroomError } from '../core/errors.js';
import { loadAdapterPackage } from '../di/adapter-loader.js';
import { teamsPublicSettings } from '../di/adapter-settings.js';
import { OpsroomApp } from '../di/opsroom-app.js';
import { CommandRegistry, type RegisteredCommand } from '../routing/command-registry.js';
import { loggerFor, readConfig, reportFailure } from './cli-support.js';

export interface TeamsManifestOptions {
  out: string;
  config?: string;
  /** Overrides adapters.teams.manifest.version: Teams refuses a package whose version it already has. */
  appVersion?: string;
}

/**
 * Teams lists only a few commands per scope in its menu: `help` first (it lists everything), then the plugins'
 * commands (the team's own operations), then the other built-ins.
 */
export function commandsForMenus(commands: readonly RegisteredCommand[]): CommandSpec[] {
  const help = commands.filter((c) => c.plugin === 'core' && c.spec.name === 'help');
  const plugins = commands.filter((c) => c.plugin !== 'core');
  const core = commands.filter((c) => c.plugin === 'core' && c.spec.name !== 'help');
  return [...help, ...plugins, ...core].map((c) => c.spec);
}

/** `opsroom teams manifest --out opsroom-teams.zip`: the Teams app package, its command list from the registry. */
export async function runTeamsManifest(options: TeamsManifestOptions, write = (t: string) => process.stdout.write(t)): Promise<number> {
  let app: OpsroomApp | undefined;
  try {
    const config = readConfig(options.config);
    const { logger } = loggerFor(config, false, true);
    app = await OpsroomApp.start({ config, logger, adapters: [], http: false });
    const commands = commandsForMenus(app.get<CommandRegistry>(CommandRegistry).all());
    const pkg = await loadAdapterPackage('teams');
    if (!pkg.buildAppPackage) throw new OpsroomError('E_INTERNAL', 'the teams adapter package cannot build an app package');
    const settings = teamsPublicSettings(config.adapters.teams);
    if (options.appVersion) settings.manifest = { ...(settings.manifest as Record<string, unknown> | undefined), version: options.appVersion };
    const result = await pkg.buildAppPackage({ settings, botName: config.bot.name, commands, out: resolve(options.out) });
    const lines = [
      `wrote ${result.path} (${result.bytes} bytes)`,
      `commands in the Teams menus: ${result.listedCommands.join(', ') || '(none)'}`,
      ...(result.omittedCommands.length > 0 ? [`not in the menus (they still work when typed): ${result.omittedCommands.join(', ')}`] : []),
      'upload it in Teams under Apps > Manage your apps > Upload an app, or in the Teams admin center',
    ];
    write(`${lines.join('\n')}\n`);
    return 0;
  } catch (error) {
    return reportFailure(error);
  } finally {
    await app?.stop().catch(() => undefined);
  }
}
