import { inject, injectable } from 'inversify';
import { Gauge } from 'prom-client';
import type { LifecycleContribution } from '../core/lifecycle.js';
import { Metrics } from '../core/metrics.js';
import { SandboxHost } from './sandbox-host.js';

const NAME = 'opsroom_sandbox_runner_restarts';

/** `/metrics` reads the sandbox's runner restarts at each scrape: a rising count means plugins crash their runners. */
@injectable()
export class SandboxMetrics implements LifecycleContribution {
  readonly name = 'sandbox-metrics';

  constructor(
    @inject(SandboxHost) private readonly sandbox: SandboxHost,
    @inject(Metrics) private readonly metrics: Metrics,
  ) {}

  async start(): Promise<void> {
    const { sandbox } = this;
    if (this.metrics.registry.getSingleMetric(NAME)) return;
    new Gauge({
      name: NAME, help: 'Sandbox runner processes restarted since this process started (a runner dies with a plugin that crashes it)',
      registers: [this.metrics.registry],
      collect() {
        this.set(sandbox.stats().runners.reduce((sum, runner) => sum + runner.restarts, 0));
      },
    });
  }

  async stop(): Promise<void> {
    this.metrics.registry.removeSingleMetric(NAME);
  }
}
