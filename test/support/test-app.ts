import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import type { ContainerModule } from 'inversify';
import type { ConfigSource } from '../../src/automation/config-source.js';
import type { ConfigInput, OpsroomConfig } from '../../src/config/config-schema.js';
import { validateConfig } from '../../src/config/load-config.js';
import { OpsroomApp } from '../../src/di/opsroom-app.js';
import { FakeAdapter } from '../fakes/fake-adapter.js';
import { createTestLogger, type TestLogger } from '../fakes/test-logger.js';

export interface TestApp {
  app: OpsroomApp;
  adapter: FakeAdapter;
  logger: TestLogger;
  config: OpsroomConfig;
  dir: string;
}

/**
 * A whole opsroom on a real SQLite file in a fresh folder, with the adapter swapped for a fake.
 * Stopped and removed when the test finishes.
 */
export async function startTestApp(input: ConfigInput = {}, options: { http?: boolean; extraModules?: ContainerModule[]; dir?: string; adapter?: FakeAdapter; configSource?: ConfigSource } = {}): Promise<TestApp> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'opsroom-app-'));
  const config = validateConfig({
    ...input,
    storage: { sqlitePath: join(dir, 'opsroom.db'), ...(input.storage ?? {}) },
    http: { port: 0, ...(input.http ?? {}) },
    // The bundled plugins cost a sandbox start and claim command names; tests that want them say so.
    // Installed plugins and the lock file stay in the test's folder, never the working folder's ./data/plugins.
    plugins: { bundled: false, installDir: join(dir, 'plugins'), lockFile: join(dir, 'opsroom-plugins.lock.json'), ...(input.plugins ?? {}) },
  }, 'test configuration');
  const logger = createTestLogger('warn');
  const adapter = options.adapter ?? new FakeAdapter('local');
  const app = await OpsroomApp.start({
    config, logger, adapters: [adapter], http: options.http ?? false, extraModules: options.extraModules, configSource: options.configSource,
  });
  onTestFinished(async () => {
    await app.stop();
    if (!options.dir) rmSync(dir, { recursive: true, force: true });
  });
  return { app, adapter, logger, config, dir };
}
