import type { AuditRecord } from '../audit/audit-log.js';
import type { AlertFact, CommitFact } from './feed-facts.js';
import { dailyBuckets, median, type DailyCount } from './report-math.js';

/** A deploy counts as a failed change when an alert of its service starts firing this soon after it. */
export const FAILURE_WINDOW_MS = 60 * 60 * 1000;
/** The command whose executions are deploys. */
export const DEPLOY_COMMAND = 'deploy';

/** Where a service's commits come from: the deploy plugin's `repositories` and `repository` settings. */
export type RepositoryOf = (service: string) => string | undefined;

export interface DeployInputs {
  since: Date;
  until: Date;
  service?: string;
  /** `command.executed` and `command.failed` entries of `deploy`, oldest first, from before `since` too (to know what was deployed). */
  deploys: AuditRecord[];
  /** `feed.commits` entries, oldest first, from before `since` too. */
  commits: AuditRecord[];
  /** `feed.alerts` entries, oldest first. */
  alerts: AuditRecord[];
  repositoryOf: RepositoryOf;
  defaultRef: string;
}

/** The four DORA figures over a window, and the daily deploys behind the chart. */
export interface DeployFigures {
  days: number;
  deploys: number;
  /** Deploys whose execution failed (the command itself failed). */
  failedRuns: number;
  /** Deploys that failed, or were followed by an alert of their service within FAILURE_WINDOW_MS. */
  changeFailures: number;
  /** Deploys per day over the window. */
  perDay: number;
  /** changeFailures / deploys; undefined without deploys. */
  changeFailureRate: number | undefined;
  /** Median commit-to-deploy time of the commits each deploy shipped first; undefined when no commit matched. */
  leadTimeMs: number | undefined;
  leadTimeCommits: number;
  /** Median firing-to-resolved time of alerts resolved in the window. */
  restoreMs: number | undefined;
  incidentsResolved: number;
  incidentsOpen: number;
  daily: DailyCount[];
  byService: Array<{ service: string; deploys: number; failures: number }>;
}

interface Deploy {
  at: number;
  service: string;
  ref: string;
  ok: boolean;
}

interface PushedCommit extends CommitFact {
  repo: string;
  branch: string;
  pushedAt: number;
  order: number;
}

export function deployFigures(input: DeployInputs): DeployFigures {
  const all = input.deploys.map((r) => deployOf(r, input.defaultRef)).filter((d): d is Deploy => d !== undefined);
  const since = input.since.getTime();
  const until = input.until.getTime();
  const inWindow = all.filter((d) => d.at >= since && d.at < until && (input.service === undefined || d.service === input.service));
  const alerts = alertFacts(input.alerts);
  const failures = inWindow.filter((d) => !d.ok || alertAfter(d, all, alerts));
  const lead = leadTimes(all, pushedCommits(input.commits), input.repositoryOf, inWindow);
  const restore = restoreTimes(alerts, since, until, input.service);
  const days = Math.max(1, Math.round((until - since) / 86_400_000));
  return {
    days, deploys: inWindow.length, failedRuns: inWindow.filter((d) => !d.ok).length, changeFailures: failures.length,
    perDay: inWindow.length / days,
    changeFailureRate: inWindow.length === 0 ? undefined : failures.length / inWindow.length,
    leadTimeMs: median(lead), leadTimeCommits: lead.length,
    restoreMs: median(restore.durations), incidentsResolved: restore.durations.length, incidentsOpen: restore.open,
    daily: dailyBuckets(input.since, input.until, inWindow.map((d) => ({ at: d.at, ok: !failures.includes(d) }))),
    byService: byService(inWindow, failures),
  };
}

function deployOf(record: AuditRecord, defaultRef: string): Deploy | undefined {
  const args = record.args ?? {};
  if (typeof args.service !== 'string') return undefined;
  return { at: Date.parse(record.at), service: args.service, ref: typeof args.ref === 'string' ? args.ref : defaultRef, ok: record.action === 'command.executed' };
}

function pushedCommits(records: AuditRecord[]): PushedCommit[] {
  let order = 0;
  return records.flatMap((record) => {
    const detail = record.detail ?? {};
    const commits = Array.isArray(detail.commits) ? (detail.commits as unknown as CommitFact[]) : [];
    if (typeof detail.repo !== 'string' || typeof detail.branch !== 'string') return [];
    return commits.map((c) => ({ ...c, repo: detail.repo as string, branch: detail.branch as string, pushedAt: Date.parse(record.at), order: order++ }));
  });
}

/**
 * Walks every deploy in time order; each successful deploy ships the commits of its branch (or up to its commit,
 * for a sha) pushed before it and not shipped by an earlier deploy. Lead times count only for deploys in the window.
 */
function leadTimes(all: Deploy[], commits: PushedCommit[], repositoryOf: RepositoryOf, counted: Deploy[]): number[] {
  const shipped = new Set<string>();
  const times: number[] = [];
  for (const deploy of all) {
    const repo = repositoryOf(deploy.service);
    if (!deploy.ok || repo === undefined) continue;
    const candidates = commits.filter((c) => c.repo === repo && c.pushedAt <= deploy.at && !shipped.has(`${repo}@${c.id}`));
    const sha = /^[0-9a-f]{7,40}$/i.test(deploy.ref) ? candidates.find((c) => c.id.startsWith(deploy.ref.toLowerCase())) : undefined;
    const batch = sha ? candidates.filter((c) => c.branch === sha.branch && c.order <= sha.order) : candidates.filter((c) => c.branch === deploy.ref);
    for (const commit of batch) {
      shipped.add(`${repo}@${commit.id}`);
      if (counted.includes(deploy)) times.push(Math.max(0, deploy.at - Date.parse(commit.at)));
    }
  }
  return times;
}

function alertFacts(records: AuditRecord[]): AlertFact[] {
  return records.flatMap((r) => (Array.isArray(r.detail?.alerts) ? (r.detail.alerts as unknown as AlertFact[]) : []));
}

/** An alert of the deploy's service that started firing after it, within the window and before its next deploy. */
function alertAfter(deploy: Deploy, all: Deploy[], alerts: AlertFact[]): boolean {
  const next = all.find((d) => d.service === deploy.service && d.at > deploy.at)?.at ?? Number.POSITIVE_INFINITY;
  const end = Math.min(deploy.at + FAILURE_WINDOW_MS, next);
  return alerts.some((a) => a.service === deploy.service && Date.parse(a.startsAt) >= deploy.at && Date.parse(a.startsAt) < end);
}

/** Incidents are alerts by fingerprint and start; each resolved in the window gives one firing-to-resolved time. */
function restoreTimes(alerts: AlertFact[], since: number, until: number, service: string | undefined): { durations: number[]; open: number } {
  const incidents = new Map<string, { start: number; end?: number }>();
  for (const alert of alerts) {
    if (service !== undefined && alert.service !== service) continue;
    const key = `${alert.fingerprint}@${alert.startsAt}`;
    const incident = incidents.get(key) ?? { start: Date.parse(alert.startsAt) };
    if (alert.status === 'resolved' && alert.endsAt !== undefined) incident.end = Date.parse(alert.endsAt);
    incidents.set(key, incident);
  }
  const durations: number[] = [];
  let open = 0;
  for (const { start, end } of incidents.values()) {
    if (end === undefined) open += start < until ? 1 : 0;
    else if (end >= since && end < until) durations.push(Math.max(0, end - start));
  }
  return { durations, open };
}

function byService(deploys: Deploy[], failures: Deploy[]): DeployFigures['byService'] {
  const rows = new Map<string, { service: string; deploys: number; failures: number }>();
  for (const deploy of deploys) {
    const row = rows.get(deploy.service) ?? { service: deploy.service, deploys: 0, failures: 0 };
    row.deploys += 1;
    if (failures.includes(deploy)) row.failures += 1;
    rows.set(deploy.service, row);
  }
  return [...rows.values()].sort((a, b) => b.deploys - a.deploys || a.service.localeCompare(b.service));
}
