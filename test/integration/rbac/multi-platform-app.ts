import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContainerModule } from 'inversify';
import { onTestFinished } from 'vitest';
import type { ConfigInput } from '../../../src/config/config-schema.js';
import { validateConfig } from '../../../src/config/load-config.js';
import { Clock } from '../../../src/core/clock.js';
import { OpsroomApp } from '../../../src/di/opsroom-app.js';
import { FakeAdapter } from '../../fakes/fake-adapter.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { createTestLogger, type TestLogger } from '../../fakes/test-logger.js';

export interface MultiPlatformApp {
  app: OpsroomApp;
  discord: FakeAdapter;
  teams: FakeAdapter;
  clock: FakeClock;
  logger: TestLogger;
}

/** A whole opsroom on a fresh SQLite file with fake Discord and Teams adapters and a clock the test moves; stopped when the test ends. */
export async function startMultiPlatformApp(input: ConfigInput): Promise<MultiPlatformApp> {
  const dir = mkdtempSync(join(tmpdir(), 'opsroom-rbac-'));
  const config = validateConfig({ plugins: { bundled: false }, ...input, storage: { sqlitePath: join(dir, 'opsroom.db') }, http: { enabled: false } }, 'test configuration');
  const logger = createTestLogger('warn');
  const clock = new FakeClock(new Date());
  const discord = new FakeAdapter('discord');
  const teams = new FakeAdapter('teams');
  const clockModule = new ContainerModule(({ rebind }) => {
    rebind(Clock).toConstantValue(clock);
  });
  const app = await OpsroomApp.start({ config, logger, adapters: [discord, teams], http: false, extraModules: [clockModule] });
  onTestFinished(async () => {
    await app.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return { app, discord, teams, clock, logger };
}
