import { inject, injectable } from 'inversify';
import type { Actor } from '../core/chat-event.js';
import type { CommandSpec, Invocation } from '../core/command.js';
import type { Decision } from '../core/decision.js';
import { Logger } from '../core/logger.js';
import { RbacServiceImpl, type RbacService } from '../rbac/rbac-service.js';
import { ClusterBus } from './cluster-bus.js';

/**
 * The RBAC cache of a process in a cluster. Every change ends in `reload()` on the process that made it; that
 * reload is published, and the others reload their cache from the database too.
 */
@injectable()
export class ClusteredRbacService implements RbacService {
  private readonly logger: Logger;

  constructor(
    @inject(RbacServiceImpl) private readonly inner: RbacService,
    @inject(ClusterBus) private readonly bus: ClusterBus,
    @inject(Logger) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'cluster' });
    // Followed for the life of the process: the bus delivers nothing once it stops.
    const reload = (): Promise<void> => this.inner.reload();
    this.bus.on('rbac.changed', reload);
    this.bus.onDidResubscribe(reload);
  }

  rolesOf(actor: Actor): string[] {
    return this.inner.rolesOf(actor);
  }

  can(actor: Actor, permission: string): boolean {
    return this.inner.can(actor, permission);
  }

  mayRun(actor: Actor, spec: CommandSpec): Decision {
    return this.inner.mayRun(actor, spec);
  }

  decide(invocation: Invocation, spec: CommandSpec): Decision {
    return this.inner.decide(invocation, spec);
  }

  linkedIdentities(principal: string): string[] {
    return this.inner.linkedIdentities(principal);
  }

  async reload(): Promise<void> {
    await this.inner.reload();
    try {
      await this.bus.publish({ kind: 'rbac.changed' });
    } catch (err) {
      this.logger.error({ err }, 'could not tell the other opsroom processes about a role change; they see it at their next restart');
    }
  }
}
