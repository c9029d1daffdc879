/** What started a reload. */
/** `cluster`: another instance of the cluster reloaded, so this one reloads its own file. */
export type ReloadTrigger = 'start' | 'file' | 'signal' | 'command' | 'cluster';

/** A command of the file that is not running as written, and why. */
export interface RefusedCommand {
  command: string;
  reason: string;
  /** True when the previous definition of a changed command keeps running. */
  kept: boolean;
}

/** How the registered configuration commands changed. */
export interface CommandChanges {
  added: string[];
  changed: string[];
  removed: string[];
  unchanged: string[];
  refused: RefusedCommand[];
}

/** The answer to a reload: applied (with what changed), refused whole (an invalid file), or nothing to do. */
export interface ReloadReport extends CommandChanges {
  /** ISO-8601 time of the reload. */
  at: string;
  trigger: ReloadTrigger;
  /** The file read, or `the startup configuration`. */
  source: string;
  outcome: 'applied' | 'invalid' | 'unchanged';
  /** Why the file was refused whole (outcome `invalid`): nothing of it was applied. */
  problems: string[];
  /** Top-level sections that differ from the running ones and apply only at a restart. */
  restartNeeded: string[];
  /** For outcome `unchanged`: the reload that applied the file as it is, whose changes the lists repeat. */
  previous?: { at: string; trigger: ReloadTrigger };
}

export function emptyChanges(): CommandChanges {
  return { added: [], changed: [], removed: [], unchanged: [], refused: [] };
}

const WHEN: Record<ReloadTrigger, string> = {
  start: 'at start', file: 'on a change of the file', signal: 'on request (SIGHUP, `opsroom config reload`)', command: 'on request in chat',
  cluster: 'after another instance reloaded',
};

function names(list: string[]): string {
  return list.map((n) => `\`${n}\``).join(', ');
}

/** The report in a few lines, for chat and the terminal. */
export function formatReloadReport(report: ReloadReport): string {
  if (report.outcome === 'invalid') {
    return [
      `Configuration not reloaded (${WHEN[report.trigger]}): ${report.source} has ${report.problems.length} problem${report.problems.length === 1 ? '' : 's'}; the running commands stay as they were.`,
      ...report.problems.map((p) => `  - ${p}`),
    ].join('\n');
  }
  const { previous } = report;
  const lines = [report.outcome === 'unchanged' && previous
    ? `Configuration unchanged: ${report.source} was already reloaded at ${previous.at.slice(11, 19)} UTC (${WHEN[previous.trigger]}), which applied:`
    : `Configuration reloaded from ${report.source} (${WHEN[report.trigger]}).`];
  if (report.added.length > 0) lines.push(`  added: ${names(report.added)}`);
  if (report.changed.length > 0) lines.push(`  changed: ${names(report.changed)}`);
  if (report.removed.length > 0) lines.push(`  removed: ${names(report.removed)}`);
  for (const refusal of report.refused) {
    lines.push(`  refused: \`${refusal.command}\`: ${refusal.reason}${refusal.kept ? ' (its previous definition keeps running)' : ''}`);
  }
  if (report.added.length + report.changed.length + report.removed.length + report.refused.length === 0) {
    lines.push('  no command changed');
  }
  lines.push(`  commands running from the configuration: ${report.added.length + report.changed.length + report.unchanged.length + report.refused.filter((r) => r.kept).length}`);
  if (report.restartNeeded.length > 0) lines.push(`  not applied until a restart: ${report.restartNeeded.join(', ')} changed`);
  return lines.join('\n');
}
