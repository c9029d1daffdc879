import type { IncomingHttpHeaders } from 'node:http';

/** A commit pushed to a branch, from a GitHub push delivery: the start of its lead time. */
export interface CommitFact {
  id: string;
  /** ISO-8601 (UTC) commit time. */
  at: string;
}

/** The `feed.commits` audit entry's detail. */
export interface CommitsDetail {
  source: 'github';
  repo: string;
  branch: string;
  commits: CommitFact[];
}

/** One alert of an Alertmanager notification: firing, or resolved with its end. */
export interface AlertFact {
  fingerprint: string;
  name: string;
  /** The alert's `service` label, which ties it to the deploys of that service. */
  service?: string;
  status: 'firing' | 'resolved';
  startsAt: string;
  endsAt?: string;
}

/** The `feed.alerts` audit entry's detail. */
export interface AlertsDetail {
  source: 'alertmanager';
  alerts: AlertFact[];
}

const MAX_FACTS = 100;
const SHA = /^[0-9a-f]{7,64}$/i;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isoOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const time = Date.parse(value);
  // Alertmanager sends the zero time 0001-01-01 for "no end yet".
  return Number.isNaN(time) || time <= 0 ? undefined : new Date(time).toISOString();
}

/** The JSON of a delivery: a JSON body, or GitHub's form encoding with a `payload` field. */
export function deliveryJson(headers: IncomingHttpHeaders, body: Buffer): unknown {
  const text = body.toString('utf8');
  try {
    if (String(headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) {
      const payload = new URLSearchParams(text).get('payload');
      return payload === null ? undefined : JSON.parse(payload);
    }
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The commits of a GitHub push to a branch; undefined for anything else (tags, deletions, other events). */
export function commitsOfPush(event: string | undefined, payload: unknown): CommitsDetail | undefined {
  if (event !== 'push' || !isObject(payload) || payload.deleted === true) return undefined;
  const ref = payload.ref;
  const repo = isObject(payload.repository) ? payload.repository.full_name : undefined;
  if (typeof ref !== 'string' || !ref.startsWith('refs/heads/') || typeof repo !== 'string') return undefined;
  const commits = (Array.isArray(payload.commits) ? payload.commits : []).filter(isObject).flatMap((commit) => {
    const at = isoOf(commit.timestamp);
    return typeof commit.id === 'string' && SHA.test(commit.id) && at !== undefined ? [{ id: commit.id.toLowerCase(), at }] : [];
  });
  if (commits.length === 0) return undefined;
  return { source: 'github', repo, branch: ref.slice('refs/heads/'.length), commits: commits.slice(-MAX_FACTS) };
}

/** The alerts of an Alertmanager webhook (payload version 4); undefined for anything else. */
export function alertsOfNotification(payload: unknown): AlertsDetail | undefined {
  if (!isObject(payload) || payload.version !== '4' || !Array.isArray(payload.alerts)) return undefined;
  const alerts = payload.alerts.filter(isObject).flatMap((alert): AlertFact[] => {
    const labels = isObject(alert.labels) ? alert.labels : {};
    const startsAt = isoOf(alert.startsAt);
    if ((alert.status !== 'firing' && alert.status !== 'resolved') || startsAt === undefined) return [];
    const endsAt = alert.status === 'resolved' ? isoOf(alert.endsAt) : undefined;
    const name = typeof labels.alertname === 'string' ? labels.alertname : 'alert';
    return [{
      fingerprint: typeof alert.fingerprint === 'string' && alert.fingerprint !== '' ? alert.fingerprint : labelKey(labels),
      name, status: alert.status, startsAt,
      ...(typeof labels.service === 'string' ? { service: labels.service } : {}),
      ...(endsAt !== undefined ? { endsAt } : {}),
    }];
  });
  return alerts.length === 0 ? undefined : { source: 'alertmanager', alerts: alerts.slice(0, MAX_FACTS) };
}

/** Alertmanager identifies an alert by its label set; older senders leave the fingerprint out. */
function labelKey(labels: Record<string, unknown>): string {
  return Object.keys(labels).sort().map((k) => `${k}=${String(labels[k])}`).join(',');
}
