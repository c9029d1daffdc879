import type { AuditRecord } from '../audit/audit-log.js';
import { dailyBuckets, median, type DailyCount } from './report-math.js';

/** The audit actions `report commands` reads. */
export const COMMAND_ACTIONS = ['command.executed', 'command.failed', 'command.denied', 'approval.requested', 'approval.approved'];

export interface CommandRow {
  command: string;
  runs: number;
  failed: number;
  denied: number;
}

export interface UserRow {
  actor: string;
  runs: number;
}

/** Usage of commands over a window, from the audit log. */
export interface CommandFigures {
  /** Executions, successful or not (denials are not runs). */
  runs: number;
  failed: number;
  denied: number;
  /** failed / runs; undefined without runs. */
  failureRate: number | undefined;
  /** denied / (runs + denied); undefined without attempts. */
  denialRate: number | undefined;
  top: CommandRow[];
  users: UserRow[];
  approvals: { requested: number; approved: number; medianWaitMs: number | undefined; maxWaitMs: number | undefined };
  daily: DailyCount[];
}

/** `records`: entries of COMMAND_ACTIONS in the window, oldest first. */
export function commandFigures(records: readonly AuditRecord[], since: Date, until: Date, limit: number): CommandFigures {
  const commands = new Map<string, CommandRow>();
  const users = new Map<string, number>();
  const requested = new Map<string, number>();
  const waits: number[] = [];
  const events: Array<{ at: number; ok: boolean }> = [];
  for (const record of records) {
    const at = Date.parse(record.at);
    const row = rowOf(commands, record.command ?? '?');
    if (record.action === 'command.denied') row.denied += 1;
    if (record.action === 'command.executed' || record.action === 'command.failed') {
      const ok = record.action === 'command.executed';
      row.runs += 1;
      if (!ok) row.failed += 1;
      users.set(record.actor, (users.get(record.actor) ?? 0) + 1);
      events.push({ at, ok });
    }
    const requestId = typeof record.detail?.requestId === 'string' ? record.detail.requestId : undefined;
    if (record.action === 'approval.requested' && requestId !== undefined) requested.set(requestId, at);
    const askedAt = requestId === undefined ? undefined : requested.get(requestId);
    if (record.action === 'approval.approved' && askedAt !== undefined) waits.push(at - askedAt);
  }
  const rows = [...commands.values()].filter((r) => r.runs + r.denied > 0);
  const runs = rows.reduce((n, r) => n + r.runs, 0);
  const failed = rows.reduce((n, r) => n + r.failed, 0);
  const denied = rows.reduce((n, r) => n + r.denied, 0);
  return {
    runs, failed, denied,
    failureRate: runs === 0 ? undefined : failed / runs,
    denialRate: runs + denied === 0 ? undefined : denied / (runs + denied),
    top: rows.sort((a, b) => b.runs + b.denied - (a.runs + a.denied) || a.command.localeCompare(b.command)).slice(0, limit),
    users: [...users].map(([actor, n]) => ({ actor, runs: n })).sort((a, b) => b.runs - a.runs || a.actor.localeCompare(b.actor)).slice(0, limit),
    approvals: { requested: requested.size, approved: waits.length, medianWaitMs: median(waits), maxWaitMs: waits.length === 0 ? undefined : Math.max(...waits) },
    daily: dailyBuckets(since, until, events),
  };
}

function rowOf(rows: Map<string, CommandRow>, command: string): CommandRow {
  let row = rows.get(command);
  if (!row) {
    row = { command, runs: 0, failed: 0, denied: 0 };
    rows.set(command, row);
  }
  return row;
}
