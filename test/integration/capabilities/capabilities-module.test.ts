import { Container } from 'inversify';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { capabilitiesModule } from '../../../src/capabilities/capabilities-module.js';
import { RunbookDefinitions, RunbookRunner, RunbookRunnerImpl } from '../../../src/capabilities/runbooks/runbook-runner.js';
import { Scheduler, SchedulerImpl } from '../../../src/capabilities/schedule/scheduler.js';
import { PluginKvStore, PluginKvStoreImpl } from '../../../src/capabilities/storage/plugin-kv-store.js';
import { validateConfig } from '../../../src/config/load-config.js';
import { Clock } from '../../../src/core/clock.js';
import { Logger } from '../../../src/core/logger.js';
import { GrantStore, GrantStoreImpl } from '../../../src/plugins/grant-store.js';
import { Database } from '../../../src/storage/database.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { createTestLogger, type TestLogger } from '../../fakes/test-logger.js';
import { openTestDatabase } from '../../support/backends.js';

describe('capabilitiesModule', () => {
  let logger: TestLogger;
  afterEach(() => logger.assertNoErrors());

  it('binds one store, one runbook runner and one scheduler, built from the configuration\'s runbooks', async () => {
    logger = createTestLogger();
    const { database, cleanup } = await openTestDatabase('sqlite', logger);
    onTestFinished(cleanup);
    const config = validateConfig({ runbooks: { hello: { argv: ['/bin/echo', 'hello', '{who}'], params: { who: { type: 'string' } } } } }, 'test');
    const container = new Container();
    container.bind(Database).toConstantValue(database);
    container.bind(Clock).toConstantValue(new FakeClock('2025-03-01T09:00:00.000Z'));
    container.bind(Logger).toConstantValue(logger);
    container.bind(RunbookDefinitions).toConstantValue(config.runbooks);
    container.load(capabilitiesModule);

    const kv = container.get<PluginKvStore>(PluginKvStore);
    expect(kv).toBeInstanceOf(PluginKvStoreImpl);
    expect(container.get(PluginKvStore)).toBe(kv);
    expect(container.get(Scheduler)).toBeInstanceOf(SchedulerImpl);
    expect(container.get(Scheduler)).toBe(container.get(Scheduler));
    const runbooks = container.get<RunbookRunner>(RunbookRunner);
    expect(runbooks).toBeInstanceOf(RunbookRunnerImpl);

    expect((await runbooks.run('hello', { who: 'room' })).stdout).toBe('hello room\n');
    await kv.set('deploy', 'k', { v: 1 }, 1024);
    const row = await database.db.selectFrom('plugin_kv').select('updated_at').executeTakeFirstOrThrow();
    expect(row.updated_at).toBe('2025-03-01T09:00:00.000Z');
  });

  it('builds the stores without a Clock binding, on the system clock', async () => {
    logger = createTestLogger();
    const { database, cleanup } = await openTestDatabase('sqlite', logger);
    onTestFinished(cleanup);
    const container = new Container();
    container.bind(Database).toConstantValue(database);
    container.bind(GrantStore).to(GrantStoreImpl).inSingletonScope();
    container.bind(PluginKvStore).to(PluginKvStoreImpl).inSingletonScope();
    const before = Date.now();
    await container.get<GrantStore>(GrantStore).set('deploy', '1.0.0', 'storage', 'granted', 'local:user:bob');
    const [change] = await container.get<GrantStore>(GrantStore).changes('deploy');
    expect(change!.at.getTime()).toBeGreaterThanOrEqual(before - 1);
    await container.get<PluginKvStore>(PluginKvStore).set('deploy', 'k', 1, 1024);
  });
});
