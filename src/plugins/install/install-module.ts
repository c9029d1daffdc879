import { ContainerModule } from 'inversify';
import { BuiltinCommand } from '../../builtins/builtin-command.js';
import { ArtifactFetcher, ArtifactFetcherImpl } from './artifact-fetcher.js';
import { Downloader, DownloaderImpl } from './downloader.js';
import { PLUGIN_INSTALL_COMMANDS } from './install-commands.js';
import { NpmRegistry, NpmRegistryImpl } from './npm-registry.js';
import { PluginInstaller, PluginInstallerImpl } from './plugin-installer.js';

/** Installing community plugins: sources, safe unpacking, the lock file, and the chat commands. Loads after plugins. */
export const pluginInstallModule = new ContainerModule(({ bind }) => {
  bind(Downloader).to(DownloaderImpl).inSingletonScope();
  bind(NpmRegistry).to(NpmRegistryImpl).inSingletonScope();
  bind(ArtifactFetcher).to(ArtifactFetcherImpl).inSingletonScope();
  bind(PluginInstaller).to(PluginInstallerImpl).inSingletonScope();
  for (const command of PLUGIN_INSTALL_COMMANDS) bind(BuiltinCommand).to(command).inSingletonScope();
});
