import { ContainerModule } from 'inversify';
import type { OpsroomConfig } from '../../config/config-schema.js';
import { OpsroomConfigToken } from '../../config/load-config.js';
import { SecretStore, SecretStoreImpl } from './secret-store.js';

/** Secret values come from the config's `secrets` sources; SecretHandles are built per plugin load by the plugin host. */
export const secretsModule = new ContainerModule(({ bind }) => {
  bind(SecretStore)
    .toDynamicValue((context) => new SecretStoreImpl(context.get<OpsroomConfig>(OpsroomConfigToken).secrets, process.env))
    .inSingletonScope();
});
