import { destination as pinoDestination, pino, type DestinationStream, type Logger as PinoLogger } from 'pino';

/** The one injected logger. Every event gets a `child()` tagged with its id, platform and plugin. */
export const Logger = Symbol('Logger');
export type Logger = PinoLogger;

export interface LoggerOptions {
  level: string;
  /** A pino destination; defaults to stderr. */
  destination?: DestinationStream;
}

/** Field paths that never reach a log line, whatever a caller passes. */
export const REDACTED_PATHS = [
  'secret', '*.secret', 'password', '*.password', 'token', '*.token', 'authorization', '*.authorization',
  'headers.authorization', '*.headers.authorization', 'env', '*.env',
];

export function createLogger(options: LoggerOptions): Logger {
  const destination = options.destination ?? pinoDestination({ dest: 2, sync: true });
  return pino({ level: options.level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, base: { app: 'opsroom' } }, destination);
}
