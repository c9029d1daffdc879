const DAY = 86_400_000;

/** Events of one period: a UTC day (`2025-01-31`) or, once compacted, the first day of a longer span. */
export interface DailyCount {
  day: string;
  ok: number;
  failed: number;
}

/** The middle value (the mean of the two middle ones for an even count); undefined for none. */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** One bucket per UTC day from `since` to `until`, counting events that succeeded and that failed. */
export function dailyBuckets(since: Date, until: Date, events: ReadonlyArray<{ at: number; ok: boolean }>): DailyCount[] {
  const first = Math.floor(since.getTime() / DAY);
  const last = Math.floor((until.getTime() - 1) / DAY);
  const buckets: DailyCount[] = [];
  for (let day = first; day <= last; day++) buckets.push({ day: new Date(day * DAY).toISOString().slice(0, 10), ok: 0, failed: 0 });
  for (const event of events) {
    const bucket = buckets[Math.floor(event.at / DAY) - first];
    if (bucket) bucket[event.ok ? 'ok' : 'failed'] += 1;
  }
  return buckets;
}

/** At most `max` buckets: consecutive days summed into spans of equal length, labelled by their first day. */
export function compact(buckets: readonly DailyCount[], max: number): DailyCount[] {
  if (buckets.length <= max) return [...buckets];
  const span = Math.ceil(buckets.length / max);
  const out: DailyCount[] = [];
  for (let i = 0; i < buckets.length; i += span) {
    const group = buckets.slice(i, i + span);
    out.push({ day: group[0]?.day ?? '', ok: sum(group.map((b) => b.ok)), failed: sum(group.map((b) => b.failed)) });
  }
  return out;
}

export function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** A duration for people: `45 s`, `12 min`, `3.5 h`, `2.1 d`. */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  if (ms < DAY) return `${trim(ms / 3_600_000)} h`;
  return `${trim(ms / DAY)} d`;
}

/** A share as a percentage with at most one decimal: `12.5%`. */
export function formatPercent(share: number): string {
  return `${trim(share * 100)}%`;
}

function trim(value: number): string {
  return (Math.round(value * 10) / 10).toString();
}
