import { ContainerModule } from 'inversify';
import { BuiltinCommand } from '../builtins/builtin-command.js';
import { CapabilityBroker, CapabilityBrokerImpl } from '../capabilities/capability-broker.js';
import { LifecycleContribution } from '../core/lifecycle.js';
import { GrantStore, GrantStoreImpl } from './grant-store.js';
import { PLUGIN_ADMIN_COMMANDS } from './plugin-admin-commands.js';
import { PluginManager, PluginManagerImpl } from './plugin-manager.js';

export const pluginsModule = new ContainerModule(({ bind }) => {
  bind(GrantStore).to(GrantStoreImpl).inSingletonScope();
  bind(CapabilityBroker).to(CapabilityBrokerImpl).inSingletonScope();
  bind(PluginManager).to(PluginManagerImpl).inSingletonScope();
  bind(LifecycleContribution).toService(PluginManager);
  for (const command of PLUGIN_ADMIN_COMMANDS) bind(BuiltinCommand).to(command).inSingletonScope();
});
