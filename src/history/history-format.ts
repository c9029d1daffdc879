import type { AuditRecord } from '../audit/audit-log.js';
import type { CommandSpec } from '../core/command.js';
import { channelLabel, messageLink, userLabel, type LinkSettings } from './message-link.js';

/** One result of `history`: the outcome entry, what the caller may see of it, and its `command.received` entry. */
export interface HistoryHit {
  record: AuditRecord;
  /** The command's schema when the caller may see its arguments; undefined hides them. */
  visibleSpec: CommandSpec | undefined;
  /** Why the arguments are hidden. */
  hiddenBecause?: string;
  received?: AuditRecord;
}

const OUTCOMES: Record<string, string> = {
  'command.executed': '✅ succeeded', 'command.failed': '❌ failed', 'command.denied': '⛔ denied',
};

/** One line per hit: when, who, where, the command as it could be typed again, the outcome and a link. */
export function formatHit(hit: HistoryHit, links: LinkSettings): string {
  const { record, received } = hit;
  const detail = received?.detail ?? {};
  const name = typeof detail.name === 'string' ? detail.name : undefined;
  const channelName = typeof detail.channelName === 'string' ? detail.channelName : undefined;
  const messageId = typeof detail.messageId === 'string' ? detail.messageId : undefined;
  const line = hit.visibleSpec ? commandLine(record.command ?? '?', record.args ?? {}, hit.visibleSpec) : `${record.command ?? '?'} …`;
  const parts = [
    `${record.at.slice(0, 16).replace('T', ' ')} UTC`,
    `${userLabel(record.actor, name)} in ${channelLabel(record.channel, channelName)}`,
    `\`${line}\`${hit.visibleSpec ? '' : ` (arguments hidden: ${hit.hiddenBecause ?? 'you may not run it'})`}`,
    outcomeOf(record),
  ];
  const link = messageLink(record.channel, messageId, links);
  if (link !== undefined) parts.push(`[message](${link})`);
  return `• ${parts.join(' · ')}`;
}

function outcomeOf(record: AuditRecord): string {
  const base = OUTCOMES[record.action] ?? record.outcome ?? record.action;
  const took = record.durationMs !== null && record.action !== 'command.denied' ? ` in ${duration(record.durationMs)}` : '';
  const detail = record.detail ?? {};
  const approval = detail.approval as { approvers?: unknown } | undefined;
  const approvers = Array.isArray(approval?.approvers) ? ` (approved by ${approval.approvers.map((a) => userLabel(String(a), undefined)).join(', ')})` : '';
  const reason = record.action === 'command.failed' && typeof detail.code === 'string' ? ` (${detail.code})` : '';
  return `${base}${took}${reason}${approvers}`;
}

function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 60_000)} min`;
}

/** The arguments written back as a command line: positionals in schema order, then flags that differ from their defaults. */
export function commandLine(command: string, args: Record<string, unknown>, spec: CommandSpec): string {
  const words = [command];
  for (const arg of spec.args.filter((a) => a.flag !== true)) {
    const value = args[arg.name];
    if (value !== undefined && value !== null) words.push(arg.type === 'rest' ? String(value) : quote(String(value)));
  }
  for (const arg of spec.args.filter((a) => a.flag === true)) {
    const value = args[arg.name];
    if (value === undefined || value === null || value === false || value === arg.default) continue;
    words.push(value === true ? `--${arg.name}` : `--${arg.name} ${quote(String(value))}`);
  }
  return words.join(' ').replace(/`/g, 'ˋ');
}

function quote(value: string): string {
  return value === '' || /[\s"']/.test(value) ? JSON.stringify(value) : value;
}
