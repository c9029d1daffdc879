import { ContainerModule } from 'inversify';
import { AuditLog } from './audit-log.js';
import { AuditLogImpl } from './audit-log-impl.js';

/** The audit log; needs `Database`, `Clock` and `Logger` bound by the composition root. */
export const auditModule = new ContainerModule(({ bind }) => {
  bind<AuditLog>(AuditLog).to(AuditLogImpl).inSingletonScope();
});
