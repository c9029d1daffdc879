import { inject, injectable } from 'inversify';
import type { LifecycleContribution } from '../core/lifecycle.js';
import { Logger } from '../core/logger.js';
import { RbacService } from './rbac-service.js';

/** Fills the RBAC cache from the database before the adapters start, so the first message already sees stored changes. */
@injectable()
export class RbacCacheLoader implements LifecycleContribution {
  readonly name = 'rbac';

  constructor(
    @inject(RbacService) private readonly rbac: RbacService,
    @inject(Logger) private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    await this.rbac.reload();
    this.logger.debug({ component: 'rbac' }, 'role changes and identity links loaded');
  }

  async stop(): Promise<void> {
    // Nothing to release: the cache is memory only.
  }
}
