import { createLogger, type Logger } from '../../src/core/logger.js';

/** One parsed log line. */
export interface LogEntry {
  level: number;
  msg?: string;
  [field: string]: unknown;
}

export interface TestLoggerControls {
  /** Every line logged so far, by this logger and its children, oldest first. */
  entries(): LogEntry[];
  /** Marks error lines whose message matches as expected, now and later. */
  expectErrors(match: string | RegExp): void;
  /** Throws, listing them, if any error or fatal line was logged that nobody expected. */
  assertNoErrors(): void;
}

/** A pino logger writing to memory. Call `assertNoErrors()` in afterEach so an unexpected error fails the test. */
export type TestLogger = Logger & TestLoggerControls;

const ERROR_LEVEL = 50;

export function createTestLogger(level = 'debug'): TestLogger {
  const lines: LogEntry[] = [];
  const expected: Array<string | RegExp> = [];
  const logger = createLogger({ level, destination: { write: (line: string) => void lines.push(JSON.parse(line) as LogEntry) } });
  const isExpected = (entry: LogEntry): boolean =>
    expected.some((match) => (typeof match === 'string' ? entry.msg?.includes(match) : match.test(entry.msg ?? '')) === true);
  const controls: TestLoggerControls = {
    entries: () => [...lines],
    expectErrors: (match) => void expected.push(match),
    assertNoErrors: () => {
      const unexpected = lines.filter((entry) => entry.level >= ERROR_LEVEL && !isExpected(entry));
      if (unexpected.length > 0) {
        throw new Error(`unexpected error log line(s):\n${unexpected.map((entry) => JSON.stringify(entry)).join('\n')}`);
      }
    },
  };
  return Object.assign(logger, controls);
}
