import { ContainerModule } from 'inversify';
import { BuiltinCommand } from '../builtins/builtin-command.js';
import { LifecycleContribution } from '../core/lifecycle.js';
import { ConfigCommandRunner, ConfigCommandRunnerImpl } from './config-command-runner.js';
import { ConfigCommandSet, ConfigCommandSetImpl } from './config-command-set.js';
import { ConfigReloadCommand } from './config-reload-command.js';
import { ConfigReloader, ConfigReloaderImpl } from './config-reloader.js';

/**
 * Commands without code: the `commands` section registered in the one registry, reloaded on file change, SIGHUP
 * and `config reload`. Needs `ConfigSource` from the composition root; loads after the plugins, whose commands win.
 */
export const automationModule = new ContainerModule(({ bind }) => {
  bind(ConfigCommandRunner).to(ConfigCommandRunnerImpl).inSingletonScope();
  bind(ConfigCommandSet).to(ConfigCommandSetImpl).inSingletonScope();
  bind(ConfigReloaderImpl).toSelf().inSingletonScope();
  bind(ConfigReloader).toService(ConfigReloaderImpl);
  bind(LifecycleContribution).toService(ConfigReloaderImpl);
  bind(BuiltinCommand).to(ConfigReloadCommand).inSingletonScope();
});
