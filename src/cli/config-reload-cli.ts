import { setTimeout as sleep } from 'node:timers/promises';
import { controlFilesFor, isPidRecord, isReportRecord, readJsonFile, type PidRecord } from '../automation/control-files.js';
import { loadConfig } from '../config/load-config.js';
import { UserError } from '../core/errors.js';
import { reportFailure } from './cli-support.js';

export interface ConfigReloadOptions {
  config?: string;
  /** How long to wait for the running opsroom's answer. */
  timeoutMs?: number;
}

const POLL_MS = 100;

/**
 * `opsroom config reload`: checks the file first (a bad file is reported here and nothing is sent), then asks the
 * opsroom running with it (found by its pid file) to reload with SIGHUP and prints its report of what changed.
 */
export async function runConfigReload(options: ConfigReloadOptions, write = (t: string) => process.stdout.write(t)): Promise<number> {
  try {
    const { config, file } = loadConfig({ file: options.config });
    if (file === undefined) throw new UserError('E_CONFIG', 'there is no configuration file to reload: give one with -c <file> or OPSROOM_CONFIG');
    const control = controlFilesFor(config.storage.sqlitePath);
    const running = runningFor(control.pidFile, file);
    const last = readJsonFile(control.reportFile, isReportRecord);
    const before = last?.pid === running.pid ? last.sequence : 0;
    process.kill(running.pid, 'SIGHUP');
    const deadline = Date.now() + (options.timeoutMs ?? 10_000);
    while (Date.now() < deadline) {
      const record = readJsonFile(control.reportFile, isReportRecord);
      if (record && record.pid === running.pid && record.sequence > before) {
        write(`${record.text}\n`);
        return record.report.outcome === 'invalid' ? 2 : 0;
      }
      await sleep(POLL_MS);
    }
    throw new UserError('E_INTERNAL', `opsroom (pid ${running.pid}) did not report a reload within ${Math.round((options.timeoutMs ?? 10_000) / 1000)} s; see its log`);
  } catch (error) {
    return reportFailure(error);
  }
}

function runningFor(pidFile: string, file: string): PidRecord {
  const record = readJsonFile(pidFile, isPidRecord);
  if (!record) {
    throw new UserError('E_NOT_FOUND', `no running opsroom was found for ${file} (no ${pidFile}); an opsroom started with this file also reloads by itself when it changes`);
  }
  if (record.file !== file) throw new UserError('E_BAD_ARGS', `the opsroom running as pid ${record.pid} reads ${record.file}, not ${file}`);
  try {
    process.kill(record.pid, 0);
  } catch {
    throw new UserError('E_NOT_FOUND', `the opsroom of ${pidFile} (pid ${record.pid}) is not running any more`);
  }
  return record;
}
