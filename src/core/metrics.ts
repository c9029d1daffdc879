import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The process's Prometheus metrics, in one registry of its own (tests build as many as they like). */
export const Metrics = Symbol('Metrics');
export interface Metrics {
  readonly registry: Registry;
  readonly commands: Counter<'outcome'>;
  readonly commandSeconds: Histogram<'plugin'>;
  readonly events: Counter<'platform' | 'type'>;
}

export class MetricsImpl implements Metrics {
  readonly registry = new Registry();
  readonly commands: Counter<'outcome'>;
  readonly commandSeconds: Histogram<'plugin'>;
  readonly events: Counter<'platform' | 'type'>;

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'opsroom_' });
    this.commands = new Counter({
      name: 'opsroom_commands_total', help: 'Commands routed, by outcome', labelNames: ['outcome'], registers: [this.registry],
    });
    this.commandSeconds = new Histogram({
      name: 'opsroom_command_duration_seconds', help: 'Command latency from routing to reply', labelNames: ['plugin'],
      buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30], registers: [this.registry],
    });
    this.events = new Counter({
      name: 'opsroom_events_received_total', help: 'Chat events received, by platform and type', labelNames: ['platform', 'type'], registers: [this.registry],
    });
  }
}
