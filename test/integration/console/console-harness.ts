import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { BUNDLED_RUNBOOKS } from '../../../src/config/bundled-defaults.js';
import type { ConfigInput } from '../../../src/config/config-schema.js';
import { validateConfig } from '../../../src/config/load-config.js';
import { OpsroomApp } from '../../../src/di/opsroom-app.js';
import { WebConsole } from '../../../src/http/console/web-console.js';
import { createTestLogger, type TestLogger } from '../../fakes/test-logger.js';

export const RESTART_PLUGIN = fileURLToPath(new URL('../../../plugins/restart/', import.meta.url));

/** A whole opsroom with the real local adapter (a scripted terminal on pipes) and the web console on a free port. */
export interface ConsoleApp {
  app: OpsroomApp;
  base: string;
  console: WebConsole;
  logger: TestLogger;
  dir: string;
  /** Types a line into the terminal view. */
  type(line: string): void;
  /** Everything the terminal view printed so far. */
  terminal(): string;
  /** A fresh one-time login URL. */
  loginUrl(): string;
  stop(): Promise<void>;
}

/**
 * The demo users alice (operator) and bob (approver, admin), plus carol with no role: a viewer. The restart plugin
 * (risk high, so every restart waits for an approval) runs its runbook in the test's own folder.
 */
export async function startConsoleApp(input: ConfigInput = {}): Promise<ConsoleApp> {
  const dir = mkdtempSync(join(tmpdir(), 'opsroom-console-'));
  const config = validateConfig({
    storage: { sqlitePath: join(dir, 'opsroom.db') },
    http: { port: 0 },
    plugins: { bundled: false, paths: [RESTART_PLUGIN] },
    runbooks: { 'restart-app': { ...BUNDLED_RUNBOOKS['restart-app'], cwd: dir } },
    adapters: {
      local: {
        users: [
          { name: 'alice', displayName: 'Alice (operator)' },
          { name: 'bob', displayName: 'Bob (approver, admin)' },
          { name: 'carol', displayName: 'Carol (viewer)' },
        ],
      },
    },
    ...input,
  }, 'test configuration');
  const logger = createTestLogger('warn');
  const input$ = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.on('data', (chunk: Buffer) => { printed += chunk.toString('utf8'); });
  const app = await OpsroomApp.start({ config, logger, http: true, io: { input: input$, output, interactive: false } });
  const address = app.httpAddress;
  if (!address) throw new Error('the HTTP server did not start');
  const console = app.get<WebConsole>(WebConsole);
  let stopped = false;
  return {
    app, console, logger, dir,
    base: `http://127.0.0.1:${address.port}`,
    type: (line) => void input$.write(`${line}\n`),
    terminal: () => printed,
    loginUrl: () => console.loginUrl(),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      input$.end();
      await app.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls until `check` returns something truthy, or fails naming what it waited for. */
export async function eventually<T>(what: string, check: () => T | Promise<T>, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
