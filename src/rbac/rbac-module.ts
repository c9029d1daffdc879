import { ContainerModule } from 'inversify';
import { BuiltinCommand } from '../builtins/builtin-command.js';
import { LifecycleContribution } from '../core/lifecycle.js';
import { Gate } from '../routing/gate.js';
import { LinkCommand } from './commands/link-command.js';
import { RolesGrantCommand } from './commands/roles-grant-command.js';
import { RolesListCommand } from './commands/roles-list-command.js';
import { RolesRevokeCommand } from './commands/roles-revoke-command.js';
import { RolesShowCommand } from './commands/roles-show-command.js';
import { RolesUnlinkCommand } from './commands/roles-unlink-command.js';
import { IdentityLinks, IdentityLinksImpl } from './identity-links.js';
import { RbacAdmin, RbacAdminImpl } from './rbac-admin.js';
import { RbacCacheLoader } from './rbac-cache-loader.js';
import { RbacGate } from './rbac-gate.js';
import { RbacService, RbacServiceImpl } from './rbac-service.js';
import { RbacStore, RbacStoreImpl } from './rbac-store.js';

/** Roles, rules, identity links and their chat commands; needs `RbacSettings`, `Database`, `Clock` and `Logger` from the composition root. */
export const rbacModule = new ContainerModule(({ bind }) => {
  bind(RbacStore).to(RbacStoreImpl).inSingletonScope();
  bind(RbacService).to(RbacServiceImpl).inSingletonScope();
  bind(RbacAdmin).to(RbacAdminImpl).inSingletonScope();
  bind(IdentityLinks).to(IdentityLinksImpl).inSingletonScope();
  bind(LifecycleContribution).to(RbacCacheLoader).inSingletonScope();
  bind(Gate).to(RbacGate).inSingletonScope();
  for (const command of [RolesListCommand, RolesShowCommand, RolesGrantCommand, RolesRevokeCommand, RolesUnlinkCommand, LinkCommand]) {
    bind(BuiltinCommand).to(command).inSingletonScope();
  }
});
