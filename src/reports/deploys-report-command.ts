import { inject, injectable } from 'inversify';
import type { BuiltinCommand } from '../builtins/builtin-command.js';
import type { OpsroomConfig } from '../config/config-schema.js';
import { OpsroomConfigToken } from '../config/load-config.js';
import { Clock } from '../core/clock.js';
import type { CommandSpec, Invocation } from '../core/command.js';
import type { OutboundMessage } from '../core/message.js';
import { AuditSearch } from '../history/audit-search.js';
import { describeSince, parseSince } from '../history/parse-since.js';
import { ChartRenderer } from './chart-renderer.js';
import { COLORS, columnChartSvg } from './chart-svg.js';
import { DEPLOY_COMMAND, FAILURE_WINDOW_MS, deployFigures, type DeployFigures, type RepositoryOf } from './deploy-figures.js';
import { FEED_ALERTS, FEED_COMMITS } from './feed-recorder.js';
import { compact, formatDuration, formatPercent } from './report-math.js';
import { sparkline, textTable } from './text-table.js';

/** Deploys and feed facts from this long before the window still tell what a deploy in it shipped first. */
const LOOKBACK_MS = 180 * 86_400_000;
export const REPORT_CAP = 50_000;

/** `report deploys [--since 30d] [--service s]`: the four DORA figures from opsroom's own records, with a chart. */
@injectable()
export class DeploysReportCommand implements BuiltinCommand {
  readonly spec: CommandSpec = {
    name: 'report deploys', description: 'DORA figures: deployment frequency, lead time, change failure rate, time to restore',
    usage: 'report deploys [--since 30d] [--service <service>]',
    args: [
      { name: 'since', type: 'string', flag: true, default: '30d', description: 'how far back: 12h, 7d, 2w or a date' },
      { name: 'service', type: 'string', flag: true, description: 'only this service' },
    ],
    permission: 'reports:read', risk: 'low',
  };

  constructor(
    @inject(AuditSearch) private readonly search: AuditSearch,
    @inject(ChartRenderer) private readonly charts: ChartRenderer,
    @inject(OpsroomConfigToken) private readonly config: OpsroomConfig,
    @inject(Clock) private readonly clock: Clock,
  ) {}

  async run(invocation: Invocation): Promise<OutboundMessage> {
    const until = this.clock.now();
    const sinceText = String(invocation.args.since ?? '30d');
    const since = parseSince(sinceText, until);
    const service = typeof invocation.args.service === 'string' ? invocation.args.service : undefined;
    const from = new Date(since.getTime() - LOOKBACK_MS);
    const [deploys, commits, alerts] = await Promise.all([
      this.search.range({ actions: ['command.executed', 'command.failed'], command: DEPLOY_COMMAND, since: from, until, cap: REPORT_CAP }),
      this.search.range({ actions: [FEED_COMMITS], since: from, until, cap: REPORT_CAP }),
      this.search.range({ actions: [FEED_ALERTS], since: from, until, cap: REPORT_CAP }),
    ]);
    const settings = this.deploySettings();
    const figures = deployFigures({
      since, until, service, deploys: deploys.records, commits: commits.records, alerts: alerts.records, ...settings,
    });
    const scope = `${describeSince(sinceText)}${service ? `, service ${service}` : ''}`;
    const truncated = deploys.truncated || commits.truncated || alerts.truncated;
    const chart = this.charts.png('deploys.png', columnChartSvg({
      title: 'Deploys', subtitle: `${scope}: ${figures.deploys} deploys, ${figures.changeFailures} failed changes`,
      buckets: compact(figures.daily, 90), ok: { label: 'succeeded', color: COLORS.ok }, failed: { label: 'failed change', color: COLORS.failed },
    }));
    return { text: deploysText(figures, scope, truncated), attachments: [chart] };
  }

  /** The deploy plugin's settings say which repository a service's commits come from and what a deploy ships by default. */
  private deploySettings(): { repositoryOf: RepositoryOf; defaultRef: string } {
    const deploy = this.config.plugins.config.deploy ?? {};
    const repositories = typeof deploy.repositories === 'object' && deploy.repositories !== null ? deploy.repositories as Record<string, unknown> : {};
    const fallback = typeof deploy.repository === 'string' && deploy.repository !== '' ? deploy.repository : undefined;
    return {
      repositoryOf: (service) => (typeof repositories[service] === 'string' ? repositories[service] as string : fallback),
      defaultRef: typeof deploy.defaultRef === 'string' ? deploy.defaultRef : 'main',
    };
  }
}

/** The figures in words, a table by service and a sparkline of deploys per day. */
export function deploysText(figures: DeployFigures, scope: string, truncated: boolean): string {
  const lines = [`**Deploys, ${scope}**`];
  const rate = figures.deploys === 0 ? '' : `, ${perPeriod(figures.perDay)}`;
  lines.push(`• Deployment frequency: ${figures.deploys} deploy${figures.deploys === 1 ? '' : 's'} in ${figures.days} day${figures.days === 1 ? '' : 's'}${rate}`);
  lines.push(figures.changeFailureRate === undefined
    ? '• Change failure rate: no deploys to judge'
    : `• Change failure rate: ${formatPercent(figures.changeFailureRate)} (${figures.changeFailures} of ${figures.deploys}: ${figures.failedRuns} failed to run, ${figures.changeFailures - figures.failedRuns} followed by an alert of the service within ${formatDuration(FAILURE_WINDOW_MS)})`);
  lines.push(figures.leadTimeMs === undefined
    ? '• Lead time for changes: not measured (no pushed commit of the github feed matched a deploy; plugins.config.deploy maps services to repositories)'
    : `• Lead time for changes: median ${formatDuration(figures.leadTimeMs)} from commit to deploy, over ${figures.leadTimeCommits} commit${figures.leadTimeCommits === 1 ? '' : 's'}`);
  lines.push(figures.restoreMs === undefined
    ? `• Time to restore service: no alert resolved in this period${figures.incidentsOpen > 0 ? ` (${figures.incidentsOpen} still firing)` : ''}`
    : `• Time to restore service: median ${formatDuration(figures.restoreMs)} from firing to resolved, over ${figures.incidentsResolved} incident${figures.incidentsResolved === 1 ? '' : 's'}${figures.incidentsOpen > 0 ? ` (${figures.incidentsOpen} still firing)` : ''}`);
  if (figures.byService.length > 0) {
    lines.push(textTable(['SERVICE', 'DEPLOYS', 'FAILED CHANGES'], figures.byService.map((r) => [r.service, String(r.deploys), String(r.failures)]), new Set([1, 2])));
  }
  const days = compact(figures.daily, 60);
  lines.push(`Deploys per ${days.length === figures.daily.length ? 'day' : 'period'} ${days[0]?.day ?? ''} → ${figures.daily.at(-1)?.day ?? ''}: ${sparkline(days.map((d) => d.ok + d.failed))}`);
  if (truncated) lines.push(`(only the latest ${REPORT_CAP} records of each kind were read)`);
  return lines.join('\n');
}

function perPeriod(perDay: number): string {
  if (perDay >= 1) return `${Math.round(perDay * 10) / 10} per day`;
  if (perDay * 7 >= 1) return `${Math.round(perDay * 70) / 10} per week`;
  return `${Math.round(perDay * 300) / 10} per month`;
}
