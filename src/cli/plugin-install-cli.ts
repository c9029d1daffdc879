import { OpsroomApp } from '../di/opsroom-app.js';
import { formatSearch } from '../plugins/install/install-commands.js';
import { formatInstalled, formatUpgraded } from '../plugins/install/install-report.js';
import { DownloaderImpl } from '../plugins/install/downloader.js';
import { NpmRegistryImpl } from '../plugins/install/npm-registry.js';
import { PluginInstaller } from '../plugins/install/plugin-installer.js';
import { loggerFor, readConfig, reportFailure } from './cli-support.js';

type Write = (text: string) => void;
const stdout: Write = (t) => process.stdout.write(t);

/**
 * Runs one install action against the configured database and install folder, as the operator (`system`). A server
 * that is running picks the change up at its next start; a chat `plugin install` takes effect at once.
 */
async function withInstaller(action: (installer: PluginInstaller) => Promise<{ text: string; code: number }>, options: { config?: string }, write: Write): Promise<number> {
  let app: OpsroomApp | undefined;
  try {
    const config = readConfig(options.config);
    const { logger } = loggerFor(config, false, true);
    app = await OpsroomApp.start({ config, logger, adapters: [], http: false });
    const result = await action(app.get<PluginInstaller>(PluginInstaller));
    write(`${result.text}\n`);
    return result.code;
  } catch (error) {
    return reportFailure(error);
  } finally {
    await app?.stop().catch(() => undefined);
  }
}

export const pluginInstallActions = {
  install: (source: string, o: { config?: string }, write = stdout) =>
    withInstaller(async (i) => ({ text: formatInstalled(await i.install(source, 'system')), code: 0 }), o, write),
  upgrade: (name: string, source: string | undefined, o: { config?: string }, write = stdout) =>
    withInstaller(async (i) => ({ text: formatUpgraded(await i.upgrade(name, source, 'system')), code: 0 }), o, write),
  remove: (name: string, o: { config?: string; purge?: boolean }, write = stdout) =>
    withInstaller(async (i) => ({ text: await i.remove(name, { purge: o.purge === true }, 'system'), code: 0 }), o, write),
  sync: (o: { config?: string }, write = stdout) =>
    withInstaller(async (i) => {
      const report = await i.sync('system');
      const summary = report.failed === 0 ? `In step with ${i.lockFile}.` : `${report.failed} plugin${report.failed > 1 ? 's' : ''} could not be synced.`;
      return { text: [...report.lines, summary].join('\n'), code: report.failed === 0 ? 0 : 1 };
    }, o, write),
};

/** `opsroom plugin search <text>`: asks the registry only; no database is opened. */
export async function runPluginSearch(text: string, options: { config?: string }, write = stdout): Promise<number> {
  try {
    const config = readConfig(options.config);
    const registry = new NpmRegistryImpl(config, new DownloaderImpl(config));
    write(`${formatSearch(await registry.search(text), text, registry.url)}\n`);
    return 0;
  } catch (error) {
    return reportFailure(error);
  }
}
