import type { PluginStatus } from '../plugin-status.js';
import { asksOf, type CapabilityDiff } from './capability-diff.js';

/** What `plugin install` did, for chat and the CLI. */
export interface InstallReport {
  status: PluginStatus;
  source: string;
  integrity: string;
}

export interface UpgradeReport extends InstallReport {
  from: string;
  diff: CapabilityDiff;
  /** Grants taken back because their meaning changed. */
  revoked: string[];
}

function short(integrity: string): string {
  return integrity.length > 24 ? `${integrity.slice(0, 24)}…` : integrity;
}

function commandsOf(status: PluginStatus): string {
  const commands = status.manifest?.commands ?? [];
  return commands.length === 0 ? 'none' : commands.map((c) => `${c.name} (risk ${c.risk})`).join(', ');
}

function nextSteps(name: string, asksSomething: boolean): string {
  const grant = asksSomething ? `an admin grants what it asks for (\`plugin grant ${name} <capability>\`, or \`plugin grant ${name} all\`) and ` : 'an admin ';
  return `Nothing of it runs until ${grant}enables it (\`plugin enable ${name}\`).`;
}

/** The consent text: what the new plugin asks for, capability by capability, in plain words. */
export function formatInstalled(report: InstallReport): string {
  const { status } = report;
  const asks = asksOf(status.manifest?.capabilities ?? {}, status.name);
  return [
    `Installed ${status.name} ${status.version} from ${report.source} (${short(report.integrity)}). It is DISABLED.`,
    `${status.description}`,
    asks.length === 0 ? 'It asks for no capabilities.' : 'It asks to:',
    ...asks.map((a) => `  - ${a.words} (${a.grant})`),
    `Commands: ${commandsOf(status)}`,
    nextSteps(status.name, asks.length > 0),
  ].join('\n');
}

/** The capability diff of an upgrade; old grants stay, new asks wait for a grant. */
export function formatUpgraded(report: UpgradeReport): string {
  const { status, diff } = report;
  const granted = new Set(status.granted);
  const lines = [
    `Upgraded ${status.name} ${report.from} -> ${status.version} from ${report.source} (${short(report.integrity)}); it is ${status.state}.`,
    ...diff.added.map((a) => `  + new, not granted: ${a.words} (${a.grant})`),
    ...diff.changed.map((a) => `  ~ changed, ${report.revoked.includes(a.grant) ? 'grant revoked' : 'not granted'}: ${a.words}; was: ${a.was} (${a.grant})`),
    ...diff.removed.map((a) => `  - no longer asked: ${a.words} (${a.grant})`),
    ...diff.kept.map((a) => `  = unchanged, ${granted.has(a.grant) ? 'granted' : 'not granted'}: ${a.words} (${a.grant})`),
  ];
  if (diff.added.length + diff.changed.length + diff.removed.length === 0) lines.splice(1, 0, 'What it asks for did not change.');
  if (diff.added.length + diff.changed.length > 0) lines.push(`New asks stay ungranted until an admin grants them (\`plugin grant ${status.name} <capability>\`).`);
  lines.push(`Granted now: ${status.granted.join(', ') || 'nothing'}`);
  return lines.join('\n');
}
