import { inject, injectable } from 'inversify';
import type { BuiltinCommand } from '../../builtins/builtin-command.js';
import type { CommandSpec, Invocation } from '../../core/command.js';
import { formatInstalled, formatUpgraded } from './install-report.js';
import { NpmRegistry, type SearchHit } from './npm-registry.js';
import { PluginInstaller } from './plugin-installer.js';

const SOURCE_HELP = 'a folder on the opsroom host, https://host/plugin.tgz#sha256=<hex>, or npm:<name>@<version>';

@injectable()
export class PluginInstallCommand implements BuiltinCommand {
  readonly spec: CommandSpec = {
    name: 'plugin install', description: 'Installs a community plugin, disabled, and shows what it asks for',
    usage: 'plugin install <source>', args: [{ name: 'source', type: 'string', required: true, description: SOURCE_HELP }],
    // Code nobody on the team wrote: a second admin approves (the built-in approval policy for this command).
    permission: 'plugin:admin', risk: 'high',
  };

  constructor(@inject(PluginInstaller) private readonly installer: PluginInstaller) {}

  async run(invocation: Invocation): Promise<string> {
    return formatInstalled(await this.installer.install(String(invocation.args.source), invocation.actor.id));
  }
}

@injectable()
export class PluginUpgradeCommand implements BuiltinCommand {
  readonly spec: CommandSpec = {
    name: 'plugin upgrade', description: 'Upgrades an installed plugin and shows how what it asks for changed',
    usage: 'plugin upgrade <name> [source]',
    args: [
      { name: 'name', type: 'string', required: true, description: 'the installed plugin' },
      { name: 'source', type: 'string', description: `the new version: ${SOURCE_HELP} (default: the newest from the same origin)` },
    ],
    permission: 'plugin:admin', risk: 'high',
  };

  constructor(@inject(PluginInstaller) private readonly installer: PluginInstaller) {}

  async run(invocation: Invocation): Promise<string> {
    const source = invocation.args.source === undefined ? undefined : String(invocation.args.source);
    return formatUpgraded(await this.installer.upgrade(String(invocation.args.name), source, invocation.actor.id));
  }
}

@injectable()
export class PluginRemoveCommand implements BuiltinCommand {
  readonly spec: CommandSpec = {
    name: 'plugin remove', description: 'Removes an installed plugin: its code and grants, and with --purge its storage',
    usage: 'plugin remove <name> [--purge]',
    args: [
      { name: 'name', type: 'string', required: true, description: 'the installed plugin' },
      { name: 'purge', type: 'bool', flag: true, default: false, description: 'also delete what the plugin stored' },
    ],
    permission: 'plugin:admin', risk: 'medium',
  };

  constructor(@inject(PluginInstaller) private readonly installer: PluginInstaller) {}

  async run(invocation: Invocation): Promise<string> {
    return this.installer.remove(String(invocation.args.name), { purge: invocation.args.purge === true }, invocation.actor.id);
  }
}

/** `plugin search`: one line a package, with the install line to copy. */
export function formatSearch(hits: SearchHit[], text: string, registry: string): string {
  if (hits.length === 0) return `No opsroom plugins${text.trim() ? ` match "${text.trim()}"` : ''} on ${registry}.`;
  return [
    `Opsroom plugins on ${registry}${text.trim() ? ` matching "${text.trim()}"` : ''}:`,
    ...hits.map((h) => `- ${h.name} ${h.version}${h.description ? `: ${h.description}` : ''}\n  plugin install npm:${h.name}@${h.version}`),
  ].join('\n');
}

@injectable()
export class PluginSearchCommand implements BuiltinCommand {
  readonly spec: CommandSpec = {
    name: 'plugin search', description: 'Searches the npm registry for packages with the keyword opsroom-plugin',
    usage: 'plugin search [text]', args: [{ name: 'text', type: 'rest', description: 'words to look for' }],
    permission: 'plugin:read', risk: 'low',
  };

  constructor(@inject(NpmRegistry) private readonly registry: NpmRegistry) {}

  async run(invocation: Invocation): Promise<string> {
    const text = invocation.args.text === undefined ? '' : String(invocation.args.text);
    return formatSearch(await this.registry.search(text), text, this.registry.url);
  }
}

export const PLUGIN_INSTALL_COMMANDS = [PluginInstallCommand, PluginUpgradeCommand, PluginRemoveCommand, PluginSearchCommand];
