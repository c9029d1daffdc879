import { inject, injectable } from 'inversify';
import type { ChatEvent } from '../core/chat-event.js';
import type { Disposable } from '../core/disposable.js';
import type { LifecycleContribution } from '../core/lifecycle.js';
import { Logger } from '../core/logger.js';
import { CommandRegistry, type RegisteredCommand } from '../routing/command-registry.js';
import { Router } from '../routing/router.js';
import { decisionOfEvent } from './approval-decision.js';
import { ApprovalNotifier } from './approval-notifier.js';
import { ApprovalPolicies } from './approval-policies.js';
import { ApprovalService } from './approval-service.js';
import { ApprovalStore } from './approval-store.js';
import { ExpiryScheduler } from './expiry-scheduler.js';

/**
 * Starts approvals with the app: listens for reactions and buttons, re-arms the expiry of every pending request from
 * its stored deadline (one that expired while opsroom was down is ended and its channel told once adapters connect),
 * and warns about policies that name unknown roles or arguments.
 */
@injectable()
export class ApprovalLifecycle implements LifecycleContribution {
  readonly name = 'approvals';
  private readonly subscriptions: Disposable[] = [];
  private readonly logger: Logger;

  constructor(
    @inject(Router) private readonly router: Router,
    @inject(ApprovalService) private readonly approvals: ApprovalService,
    @inject(ApprovalStore) private readonly store: ApprovalStore,
    @inject(ApprovalNotifier) private readonly notifier: ApprovalNotifier,
    @inject(ExpiryScheduler) private readonly scheduler: ExpiryScheduler,
    @inject(ApprovalPolicies) private readonly policies: ApprovalPolicies,
    @inject(CommandRegistry) private readonly registry: CommandRegistry,
    @inject(Logger) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'approvals' });
  }

  async start(): Promise<void> {
    const undefinedRoles = this.policies.undefinedRoles();
    if (undefinedRoles.length > 0) {
      this.logger.warn({ roles: undefinedRoles }, 'approval policies name roles the rbac section does not define; unless roles are added later, nobody can approve those requests');
    }
    for (const command of this.registry.all()) this.checkArguments(command);
    this.subscriptions.push(
      this.registry.onDidChange((change) => { if (change.kind === 'added') this.checkArguments(change.command); }),
      this.router.onDidReceiveEvent((event) => this.onEvent(event)),
    );
    this.scheduler.start(() => this.approvals.sweep());
    const pending = await this.store.list({ states: ['pending'] });
    for (const request of pending) this.scheduler.arm(request.id, request.expiresAt);
    if (pending.length > 0) this.logger.info({ pending: pending.length }, 'approval request expiry re-armed');
  }

  async stop(): Promise<void> {
    for (const subscription of this.subscriptions.splice(0)) subscription.dispose();
    await this.scheduler.stop();
  }

  private async onEvent(event: ChatEvent): Promise<void> {
    const decision = decisionOfEvent(event);
    if (!decision) return;
    const result = await this.approvals.decide(decision);
    if (result.outcome !== 'refused' || !result.request) return;
    // A reaction on an ended request is noise; a refused approver, or a button pressed too late, deserves an answer.
    if (decision.via === 'reaction' && result.code === 'E_APPROVAL_CLOSED') return;
    await this.notifier.reply(result.request, { text: `${event.actor.name}: ${result.reason}` });
  }

  private checkArguments(command: RegisteredCommand): void {
    const unknown = this.policies.unknownArguments(command.spec);
    if (unknown.length > 0) {
      this.logger.warn({ command: command.spec.name, conditions: unknown },
        'approval conditions name arguments the command does not declare; such a policy always applies, and such a risk override never lowers risk');
    }
  }
}
