import { ContainerModule } from 'inversify';
import { AuditCommand } from './audit-command.js';
import { BuiltinCommand } from './builtin-command.js';
import { HelpCommand } from './help-command.js';
import { PingCommand } from './ping-command.js';
import { WhoamiCommand } from './whoami-command.js';
import { WishlistCommand } from './wishlist-command.js';

export const builtinsModule = new ContainerModule(({ bind }) => {
  for (const command of [HelpCommand, PingCommand, WhoamiCommand, WishlistCommand, AuditCommand]) {
    bind(BuiltinCommand).to(command).inSingletonScope();
  }
});
