import { createHash } from 'node:crypto';
import { readFileSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { inject, injectable } from 'inversify';
import type { OpsroomConfig } from '../config/config-schema.js';
import { loadConfig, OpsroomConfigToken } from '../config/load-config.js';
import { Clock } from '../core/clock.js';
import { disposable, type Disposable } from '../core/disposable.js';
import { ConfigError } from '../core/errors.js';
import type { LifecycleContribution } from '../core/lifecycle.js';
import { Logger } from '../core/logger.js';
import { ConfigCommandSet } from './config-command-set.js';
import { ConfigSource } from './config-source.js';
import { controlFilesFor, removeOwnPidFile, writeJsonFile, type ControlFiles } from './control-files.js';
import { emptyChanges, formatReloadReport, type CommandChanges, type ReloadReport, type ReloadTrigger } from './reload-report.js';

/** A burst of file events (an editor writes, renames and touches) becomes one reload after this quiet time. */
const DEBOUNCE_MS = 250;

/** Applies the `commands` section at start and again, without a restart, when the file changes or on request. */
export const ConfigReloader = Symbol('ConfigReloader');
export interface ConfigReloader {
  /** Reads the file again and applies its commands; one reload at a time, in order. Never throws for a bad file. */
  reload(trigger: ReloadTrigger): Promise<ReloadReport>;
  lastReport(): ReloadReport | undefined;
  onDidReload(listener: (report: ReloadReport) => void): Disposable;
}

@injectable()
export class ConfigReloaderImpl implements ConfigReloader, LifecycleContribution {
  readonly name = 'config-reloader';
  private readonly listeners = new Set<(report: ReloadReport) => void>();
  private readonly control: ControlFiles;
  private queue: Promise<unknown> = Promise.resolve();
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private last: ReloadReport | undefined;
  /** The report and file hash of the latest reload that applied something. */
  private applied: { report: ReloadReport; hash: string } | undefined;
  private sequence = 0;
  private readonly onSignal = (): void => { void this.reload('signal'); };

  constructor(
    @inject(ConfigCommandSet) private readonly commands: ConfigCommandSet,
    @inject(ConfigSource) private readonly source: ConfigSource,
    @inject(OpsroomConfigToken) private readonly config: OpsroomConfig,
    @inject(Clock) private readonly clock: Clock,
    @inject(Logger) private readonly logger: Logger,
  ) {
    this.control = controlFilesFor(config.storage.sqlitePath);
  }

  async start(): Promise<void> {
    const changes = this.commands.apply(this.config.commands);
    const hash = this.source.file === undefined ? '' : hashOf(this.source.file);
    this.finish(this.report('start', 'applied', changes), hash);
    if (this.source.watch && this.source.file !== undefined) this.watchFile(this.source.file);
    if (this.source.control && this.source.file !== undefined) {
      writeJsonFile(this.control.pidFile, { pid: process.pid, file: this.source.file, startedAt: this.clock.now().toISOString() });
      process.on('SIGHUP', this.onSignal);
    }
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.watcher?.close();
    this.watcher = undefined;
    if (this.source.control) {
      process.off('SIGHUP', this.onSignal);
      removeOwnPidFile(this.control.pidFile);
    }
    await this.queue;
    this.commands.clear();
  }

  reload(trigger: ReloadTrigger): Promise<ReloadReport> {
    const next = this.queue.then(() => this.reloadNow(trigger));
    this.queue = next.catch(() => undefined);
    return next;
  }

  lastReport(): ReloadReport | undefined {
    return this.last;
  }

  onDidReload(listener: (report: ReloadReport) => void): Disposable {
    this.listeners.add(listener);
    return disposable(() => this.listeners.delete(listener));
  }

  private async reloadNow(trigger: ReloadTrigger): Promise<ReloadReport> {
    const file = this.source.file;
    if (file === undefined) {
      return this.finish({ ...this.report(trigger, 'invalid', emptyChanges()), problems: ['opsroom runs on a configuration without a file (the embedded default): there is nothing to reload; start it with -c <file> or OPSROOM_CONFIG'] }, undefined);
    }
    let text: string;
    let next: OpsroomConfig;
    try {
      text = readFileSync(file, 'utf8');
      next = loadConfig({ file, env: process.env }).config;
    } catch (error) {
      const problems = error instanceof ConfigError ? error.problems : [`${file} cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`];
      return this.finish({ ...this.report(trigger, 'invalid', emptyChanges()), problems }, undefined);
    }
    const hash = sha256(text);
    if (trigger === 'file' && hash === this.applied?.hash) return this.last as ReloadReport;
    const changes = this.commands.apply(next.commands);
    const report = { ...this.report(trigger, 'applied', changes), restartNeeded: restartSections(this.config, next) };
    const nothing = changes.added.length + changes.changed.length + changes.removed.length + changes.refused.length === 0;
    if (nothing && hash === this.applied?.hash) {
      const { report: previous } = this.applied;
      return this.finish({ ...previous, at: report.at, trigger, outcome: 'unchanged', previous: { at: previous.at, trigger: previous.trigger } }, undefined);
    }
    return this.finish(report, hash);
  }

  private report(trigger: ReloadTrigger, outcome: ReloadReport['outcome'], changes: CommandChanges): ReloadReport {
    return { at: this.clock.now().toISOString(), trigger, source: this.source.file ?? 'the startup configuration', outcome, problems: [], restartNeeded: [], ...changes };
  }

  private finish(report: ReloadReport, appliedHash: string | undefined): ReloadReport {
    this.last = report;
    if (appliedHash !== undefined) this.applied = { report, hash: appliedHash };
    const log = report.outcome === 'invalid' || report.refused.length > 0 ? 'warn' : 'info';
    this.logger[log]({ trigger: report.trigger, outcome: report.outcome, added: report.added, changed: report.changed, removed: report.removed, refused: report.refused, problems: report.problems }, 'configuration commands reloaded');
    if (this.source.control && this.source.file !== undefined) {
      try {
        writeJsonFile(this.control.reportFile, { sequence: ++this.sequence, pid: process.pid, report, text: formatReloadReport(report) });
      } catch (err) {
        this.logger.warn({ err, file: this.control.reportFile }, 'could not write the reload report');
      }
    }
    for (const listener of this.listeners) listener(report);
    return report;
  }

  private watchFile(file: string): void {
    const name = basename(file);
    try {
      // The folder, not the file: editors save by writing a new file and renaming it over the old one.
      this.watcher = watch(dirname(file), { persistent: false }, (_event, changed) => {
        if (changed !== null && changed.toString() !== name) return;
        clearTimeout(this.timer);
        this.timer = setTimeout(() => { void this.reload('file'); }, DEBOUNCE_MS);
      });
      this.watcher.on('error', (err) => this.logger.warn({ err, file }, 'stopped watching the configuration file'));
    } catch (err) {
      this.logger.warn({ err, file }, 'cannot watch the configuration file; reload with `opsroom config reload`');
    }
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function hashOf(file: string): string {
  try {
    return sha256(readFileSync(file, 'utf8'));
  } catch {
    return '';
  }
}

/** Top-level sections other than `commands` whose content differs: they take effect only at a restart. */
function restartSections(running: OpsroomConfig, next: OpsroomConfig): string[] {
  return (Object.keys(next) as Array<keyof OpsroomConfig>)
    .filter((key) => key !== 'commands' && JSON.stringify(running[key]) !== JSON.stringify(next[key]))
    .sort();
}
