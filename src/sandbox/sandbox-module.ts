import { ContainerModule } from 'inversify';
import { LifecycleContribution } from '../core/lifecycle.js';
import { SandboxHost } from './sandbox-host.js';
import { SandboxHostImpl } from './sandbox-host-impl.js';
import { SandboxMetrics } from './sandbox-metrics.js';

/** Binds the sandbox host; the composition root binds SandboxOptions (DEFAULT_SANDBOX_OPTIONS unless configured) and Logger. */
export const sandboxModule = new ContainerModule(({ bind }) => {
  bind<SandboxHost>(SandboxHost).to(SandboxHostImpl).inSingletonScope();
  bind(LifecycleContribution).to(SandboxMetrics).inSingletonScope();
});
