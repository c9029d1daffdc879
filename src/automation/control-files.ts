import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ReloadReport } from './reload-report.js';

/**
 * The files by which `opsroom config reload` finds a running opsroom and reads its answer: a pid file naming the
 * process and its configuration file, and the report of its latest reload. Both live in the data folder (the folder
 * of `storage.sqlitePath`), written whole through a rename so a reader never sees half a file.
 */
export interface ControlFiles {
  pidFile: string;
  reportFile: string;
}

export interface PidRecord {
  pid: number;
  /** The configuration file the process reads. */
  file: string;
  startedAt: string;
}

/** The last reload, numbered (per process) so a reader can tell a new one from the one before. */
export interface ReportRecord {
  sequence: number;
  pid: number;
  report: ReloadReport;
  /** The report as `formatReloadReport` words it. */
  text: string;
}

export function controlFilesFor(sqlitePath: string): ControlFiles {
  const dir = dirname(resolve(sqlitePath));
  return { pidFile: join(dir, 'opsroom.pid'), reportFile: join(dir, 'config-reload.json') };
}

export function writeJsonFile(file: string, value: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, file);
}

/** The parsed file, or undefined when it does not exist or is not what it should be. */
export function readJsonFile<T>(file: string, check: (value: unknown) => value is T): T | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return check(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export function isPidRecord(value: unknown): value is PidRecord {
  const v = value as Partial<PidRecord> | null;
  return typeof v === 'object' && v !== null && Number.isSafeInteger(v.pid) && typeof v.file === 'string' && typeof v.startedAt === 'string';
}

export function isReportRecord(value: unknown): value is ReportRecord {
  const v = value as Partial<ReportRecord> | null;
  return typeof v === 'object' && v !== null && Number.isSafeInteger(v.sequence) && Number.isSafeInteger(v.pid) && typeof v.text === 'string'
    && typeof v.report === 'object' && v.report !== null;
}

/** Removes the pid file only when it still names this process (another instance may have taken it over). */
export function removeOwnPidFile(file: string): void {
  const record = readJsonFile(file, isPidRecord);
  if (record?.pid === process.pid) rmSync(file, { force: true });
}
