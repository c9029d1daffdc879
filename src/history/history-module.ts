import { ContainerModule } from 'inversify';
import { BuiltinCommand } from '../builtins/builtin-command.js';
import { AuditSearch, AuditSearchImpl } from './audit-search.js';
import { HistoryCommand } from './history-command.js';

/** `history`: past commands from the audit log, filtered by what the caller may see. */
export const historyModule = new ContainerModule(({ bind }) => {
  bind(AuditSearch).to(AuditSearchImpl).inSingletonScope();
  bind(BuiltinCommand).to(HistoryCommand).inSingletonScope();
});
