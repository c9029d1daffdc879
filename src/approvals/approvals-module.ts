import { ContainerModule } from 'inversify';
import { BuiltinCommand } from '../builtins/builtin-command.js';
import { LifecycleContribution } from '../core/lifecycle.js';
import type { OpsroomConfig } from '../config/config-schema.js';
import { OpsroomConfigToken } from '../config/load-config.js';
import { Gate } from '../routing/gate.js';
import { ApprovalGate } from './approval-gate.js';
import { ApprovalLifecycle } from './approval-lifecycle.js';
import { ApprovalNotifier, ApprovalNotifierImpl } from './approval-notifier.js';
import { ApprovalPolicies, ApprovalPoliciesImpl } from './approval-policies.js';
import { ApprovalRelease, ApprovalReleaseImpl } from './approval-release.js';
import { ApprovalService, ApprovalServiceImpl } from './approval-service.js';
import { ApprovalSettings, approvalSettingsOf } from './approval-settings.js';
import { ApprovalStore, ApprovalStoreImpl } from './approval-store.js';
import { ApprovalsCommand } from './approvals-command.js';
import { ApproveCommand, CancelCommand, DenyCommand } from './decision-commands.js';
import { ExpiryScheduler, ExpirySchedulerImpl } from './expiry-scheduler.js';

/** Approvals: loads after rbac and routing, and replaces the RBAC-only gate with one that also holds for approval. */
export const approvalsModule = new ContainerModule(({ bind, rebind }) => {
  bind(ApprovalSettings).toDynamicValue((context) => approvalSettingsOf(context.get<OpsroomConfig>(OpsroomConfigToken))).inSingletonScope();
  bind(ApprovalPolicies).to(ApprovalPoliciesImpl).inSingletonScope();
  bind(ApprovalStore).to(ApprovalStoreImpl).inSingletonScope();
  bind(ApprovalNotifier).to(ApprovalNotifierImpl).inSingletonScope();
  bind(ExpiryScheduler).to(ExpirySchedulerImpl).inSingletonScope();
  bind(ApprovalRelease).to(ApprovalReleaseImpl).inSingletonScope();
  bind(ApprovalService).to(ApprovalServiceImpl).inSingletonScope();
  rebind(Gate).to(ApprovalGate).inSingletonScope();
  bind(LifecycleContribution).to(ApprovalLifecycle).inSingletonScope();
  for (const command of [ApproveCommand, DenyCommand, CancelCommand, ApprovalsCommand]) bind(BuiltinCommand).to(command).inSingletonScope();
});
