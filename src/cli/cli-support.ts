import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { destination } from 'pino';
import { ConfigError, OpsroomError } from '../core/errors.js';
import { createLogger, type Logger } from '../core/logger.js';
import type { OpsroomConfig } from '../config/config-schema.js';
import { loadConfig } from '../config/load-config.js';

/** What every command prints on failure: the problem, never a stack trace (unless OPSROOM_DEBUG is set). */
export function reportFailure(error: unknown, write: (text: string) => void = (t) => process.stderr.write(t)): number {
  if (error instanceof ConfigError) {
    write(`opsroom: ${error.message}:\n${error.problems.map((p) => `  - ${p}`).join('\n')}\n`);
    return 2;
  }
  if (error instanceof OpsroomError) {
    write(`opsroom: ${error.message}${error.hint ? `\n${error.hint}` : ''}\n`);
    return error.audience === 'user' ? 2 : 1;
  }
  write(`opsroom: unexpected failure: ${error instanceof Error ? error.message : String(error)}\n`);
  if (process.env.OPSROOM_DEBUG && error instanceof Error) write(`${error.stack ?? ''}\n`);
  return 1;
}

export function readConfig(file: string | undefined): OpsroomConfig {
  return loadConfig({ file }).config;
}

/**
 * Logs go to the configured file; a session that reads the console logs to `<data dir>/opsroom.log` so the
 * prompt stays readable; anything else logs to stderr.
 */
export function loggerFor(config: OpsroomConfig, usesConsole: boolean, oneShot = false): { logger: Logger; file?: string } {
  const file = config.logging.file ?? (usesConsole ? resolve(dirname(config.storage.sqlitePath), 'opsroom.log') : undefined);
  // A one-shot command (verify, export) prints its own result; only warnings and errors join it on stderr.
  const level = oneShot && !file && LEVELS.indexOf(config.logging.level) < LEVELS.indexOf('warn') ? 'warn' : config.logging.level;
  if (!file) return { logger: createLogger({ level }) };
  mkdirSync(dirname(resolve(file)), { recursive: true });
  return { logger: createLogger({ level, destination: destination({ dest: file, sync: true, mkdir: true }) }), file };
}

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/** `opsroom audit export | head` closes the pipe early; that is the reader's choice, not a failure. */
export function tolerateClosedStdout(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}
