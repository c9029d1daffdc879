import { inject, injectable } from 'inversify';
import type { BuiltinCommand } from '../builtins/builtin-command.js';
import { Clock } from '../core/clock.js';
import type { CommandSpec, Invocation } from '../core/command.js';
import { parseQualified } from '../core/identity.js';
import type { OutboundMessage } from '../core/message.js';
import { AuditSearch } from '../history/audit-search.js';
import { describeSince, parseSince } from '../history/parse-since.js';
import { ChartRenderer } from './chart-renderer.js';
import { barChartSvg, COLORS } from './chart-svg.js';
import { COMMAND_ACTIONS, commandFigures, type CommandFigures } from './command-figures.js';
import { REPORT_CAP } from './deploys-report-command.js';
import { compact, formatDuration, formatPercent } from './report-math.js';
import { sparkline, textTable } from './text-table.js';

/** `report commands [--since 30d]`: the most used commands, by whom, failure and denial rates, approval waits. */
@injectable()
export class CommandsReportCommand implements BuiltinCommand {
  readonly spec: CommandSpec = {
    name: 'report commands', description: 'Most used commands, by whom, failure and denial rates, approval wait times',
    usage: 'report commands [--since 30d] [--top 10]',
    args: [
      { name: 'since', type: 'string', flag: true, default: '30d', description: 'how far back: 12h, 7d, 2w or a date' },
      { name: 'top', type: 'int', flag: true, default: 10, description: 'how many commands and people, 1 to 25' },
    ],
    permission: 'reports:read', risk: 'low',
  };

  constructor(
    @inject(AuditSearch) private readonly search: AuditSearch,
    @inject(ChartRenderer) private readonly charts: ChartRenderer,
    @inject(Clock) private readonly clock: Clock,
  ) {}

  async run(invocation: Invocation): Promise<OutboundMessage> {
    const until = this.clock.now();
    const sinceText = String(invocation.args.since ?? '30d');
    const since = parseSince(sinceText, until);
    const top = Math.min(Math.max(Number(invocation.args.top ?? 10), 1), 25);
    const { records, truncated } = await this.search.range({ actions: COMMAND_ACTIONS, since, until, cap: REPORT_CAP });
    const figures = commandFigures(records, since, until, top);
    const scope = describeSince(sinceText);
    const chart = this.charts.png('commands.png', barChartSvg({
      title: 'Most used commands', subtitle: `${scope}: ${figures.runs} runs, ${figures.failed} failed, ${figures.denied} denied`,
      rows: figures.top.map((r) => ({ label: r.command, values: [r.runs - r.failed, r.failed, r.denied] })),
      series: [{ label: 'succeeded', color: COLORS.ok }, { label: 'failed', color: COLORS.failed }, { label: 'denied', color: COLORS.denied }],
    }));
    return { text: commandsText(figures, scope, truncated), attachments: [chart] };
  }
}

export function commandsText(figures: CommandFigures, scope: string, truncated: boolean): string {
  const rate = (share: number | undefined): string => (share === undefined ? 'n/a' : formatPercent(share));
  const { approvals } = figures;
  const lines = [
    `**Commands, ${scope}**`,
    `• ${figures.runs} run${figures.runs === 1 ? '' : 's'}; failure rate ${rate(figures.failureRate)} (${figures.failed}); denial rate ${rate(figures.denialRate)} (${figures.denied} denied)`,
    `• Approvals: ${approvals.requested} requested, ${approvals.approved} approved${approvals.medianWaitMs === undefined ? '' : `; median wait ${formatDuration(approvals.medianWaitMs)}, longest ${formatDuration(approvals.maxWaitMs ?? 0)}`}`,
  ];
  if (figures.top.length > 0) {
    lines.push(textTable(['COMMAND', 'RUNS', 'FAILED', 'DENIED'], figures.top.map((r) => [r.command, String(r.runs), String(r.failed), String(r.denied)]), new Set([1, 2, 3])));
  }
  if (figures.users.length > 0) lines.push(textTable(['WHO', 'RUNS'], figures.users.map((u) => [who(u.actor), String(u.runs)]), new Set([1])));
  const days = compact(figures.daily, 60);
  lines.push(`Runs per ${days.length === figures.daily.length ? 'day' : 'period'} ${days[0]?.day ?? ''} → ${figures.daily.at(-1)?.day ?? ''}: ${sparkline(days.map((d) => d.ok + d.failed))}`);
  if (truncated) lines.push(`(only the latest ${REPORT_CAP} records were read)`);
  return lines.join('\n');
}

/** A console user by name; anyone else by their qualified id, which stays unambiguous inside a table. */
function who(actor: string): string {
  const parsed = parseQualified(actor);
  return parsed?.platform === 'local' ? parsed.id : actor;
}
