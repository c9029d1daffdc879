import { UserError } from '../core/errors.js';
import { OpsroomApp } from '../di/opsroom-app.js';
import { formatPluginInfo, formatPluginList } from '../plugins/format-plugins.js';
import { PluginManager } from '../plugins/plugin-manager.js';
import { loggerFor, readConfig, reportFailure } from './cli-support.js';

/** Runs one plugin admin action against the configured database, as the operator (`system`). */
export async function runPluginAdmin(
  action: (plugins: PluginManager) => Promise<string>,
  options: { config?: string },
  write = (t: string) => process.stdout.write(t),
): Promise<number> {
  let app: OpsroomApp | undefined;
  try {
    const config = readConfig(options.config);
    const { logger } = loggerFor(config, false, true);
    app = await OpsroomApp.start({ config, logger, adapters: [], http: false });
    write(`${await action(app.get<PluginManager>(PluginManager))}\n`);
    return 0;
  } catch (error) {
    return reportFailure(error);
  } finally {
    await app?.stop().catch(() => undefined);
  }
}

export const pluginActions = {
  list: async (plugins: PluginManager) => formatPluginList(plugins.list()),
  info: (name: string) => async (plugins: PluginManager) => {
    const status = plugins.info(name);
    if (!status) throw new UserError('E_NOT_FOUND', `there is no plugin ${name}; \`opsroom plugin list\` shows them`);
    return formatPluginInfo(status);
  },
  grant: (name: string, grant: string) => async (plugins: PluginManager) =>
    `Granted ${grant} to ${name}.\n${formatPluginInfo(await plugins.grant(name, grant, 'system'))}`,
  revoke: (name: string, grant: string) => async (plugins: PluginManager) =>
    `Revoked ${grant} from ${name}.\n${formatPluginInfo(await plugins.revoke(name, grant, 'system'))}`,
  enable: (name: string) => async (plugins: PluginManager) => `${name} is ${(await plugins.setEnabled(name, true, 'system')).state}.`,
  disable: (name: string) => async (plugins: PluginManager) => `${name} is ${(await plugins.setEnabled(name, false, 'system')).state}.`,
};
