import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** What the hot paths count with: one more for the given label values. */
export interface Tally<L extends string> {
  inc(labels: Readonly<Record<L, string>>): void;
}

/**
 * A prom-client counter fed from plain tallies: prom-client hashes and validates the label object on every `inc`,
 * which was a tenth of the router's cost per message. The tallies go into the counter when it is read (a scrape,
 * `get()`), so what Prometheus sees is the same.
 */
export class TallyCounter<L extends string> implements Tally<L> {
  readonly counter: Counter<L>;
  private readonly tallies = new Map<string, { labels: Record<L, string>; count: number }>();

  constructor(config: { name: string; help: string; labelNames: readonly L[]; registers: Registry[] }) {
    const tallies = this.tallies;
    this.counter = new Counter<L>({
      ...config,
      collect() {
        for (const tally of tallies.values()) {
          if (tally.count === 0) continue;
          this.inc(tally.labels, tally.count);
          tally.count = 0;
        }
      },
    });
    this.keyOf = keyFunction(config.labelNames);
  }

  private readonly keyOf: (labels: Readonly<Record<L, string>>) => string;

  inc(labels: Readonly<Record<L, string>>): void {
    const key = this.keyOf(labels);
    const tally = this.tallies.get(key);
    if (tally) tally.count += 1;
    else this.tallies.set(key, { labels: { ...labels }, count: 1 });
  }
}

/** The label values as one key, without an array per call for the one- and two-label counters opsroom has. */
function keyFunction<L extends string>(names: readonly L[]): (labels: Readonly<Record<L, string>>) => string {
  const [first, second] = names;
  if (names.length === 1 && first !== undefined) return (labels) => labels[first];
  if (names.length === 2 && first !== undefined && second !== undefined) return (labels) => `${labels[first]}\u0000${labels[second]}`;
  return (labels) => names.map((name) => labels[name]).join('\u0000');
}

/** The process's Prometheus metrics, in one registry of its own (tests build as many as they like). */
export const Metrics = Symbol('Metrics');
export interface Metrics {
  readonly registry: Registry;
  readonly commands: Tally<'outcome'>;
  readonly commandSeconds: Histogram<'plugin'>;
  readonly events: Tally<'platform' | 'type'>;
}

export class MetricsImpl implements Metrics {
  readonly registry = new Registry();
  readonly commands: TallyCounter<'outcome'>;
  readonly commandSeconds: Histogram<'plugin'>;
  readonly events: TallyCounter<'platform' | 'type'>;

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'opsroom_' });
    this.commands = new TallyCounter({
      name: 'opsroom_commands_total', help: 'Commands routed, by outcome', labelNames: ['outcome'], registers: [this.registry],
    });
    this.commandSeconds = new Histogram({
      name: 'opsroom_command_duration_seconds', help: 'Command latency from routing to reply', labelNames: ['plugin'],
      buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30], registers: [this.registry],
    });
    this.events = new TallyCounter({
      name: 'opsroom_events_received_total', help: 'Chat events received, by platform and type', labelNames: ['platform', 'type'], registers: [this.registry],
    });
  }
}
