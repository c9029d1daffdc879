import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { validateConfig } from '../../../src/config/load-config.js';
import type { ConfigInput } from '../../../src/config/config-schema.js';
import { OpsroomApp } from '../../../src/di/opsroom-app.js';
import { FakeAdapter, message } from '../../fakes/fake-adapter.js';
import { createTestLogger } from '../../fakes/test-logger.js';
import { openClusterBed, startCli, writeEchoPlugin, type ClusterBed } from '../../support/cluster-bed.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function startGateway(bed: ClusterBed, extra: ConfigInput) {
  const config = validateConfig(bed.config({ ...extra, logging: { file: join(bed.dir, 'gateway.log') } }), 'test configuration');
  const logger = createTestLogger('info');
  const adapter = new FakeAdapter('local');
  const starting = OpsroomApp.start({ config, logger, adapters: [adapter], http: true, role: 'gateway' });
  onTestFinished(async () => { await (await starting).stop(); });
  return { adapter, logger, starting };
}

describe('a gateway started before any worker', () => {
  it('connects to chat only once a worker published its plugins, so its first command is known', async () => {
    const bed = await openClusterBed();
    onTestFinished(() => bed.cleanup());
    const plugins = { paths: [writeEchoPlugin(bed.dir)], grants: { echo: 'all' as const } };
    const { adapter, logger, starting } = startGateway(bed, { plugins, cluster: { catalogWaitMs: 60_000 } });
    let started = false;
    void starting.then(() => { started = true; });
    await sleep(1_500);
    expect(started).toBe(false);
    expect(adapter.started).toBe(false);

    const worker = startCli('worker', bed.writeConfig('worker', { plugins }), { logFile: join(bed.dir, 'worker.log') });
    onTestFinished(async () => { await worker.kill('SIGKILL'); });
    const app = await starting;
    expect(adapter.started).toBe(true);
    await adapter.deliver(message('!echo first', { as: 'alice' }));
    expect(adapter.lastText()).toBe('echo first');
    const ready = await fetch(`http://127.0.0.1:${app.httpAddress?.port ?? 0}/readyz`);
    expect(await ready.json()).toMatchObject({ status: 'ready', plugins: "ok (1 plugin from the workers' catalog)" });
    expect(await worker.stop()).toEqual({ code: 0, signal: null });
    logger.assertNoErrors();
  }, 120_000);

  it('carries on after cluster.catalogWaitMs, not ready until a worker comes, then knows its commands', async () => {
    const bed = await openClusterBed();
    onTestFinished(() => bed.cleanup());
    const plugins = { paths: [writeEchoPlugin(bed.dir)], grants: { echo: 'all' as const } };
    const { adapter, logger, starting } = startGateway(bed, { plugins, cluster: { catalogWaitMs: 500 } });
    const app = await starting;
    expect(adapter.started).toBe(true);
    expect(logger.entries().some((l) => l.level === 40 && /no worker published its plugins in time/.test(l.msg ?? ''))).toBe(true);
    const readyz = `http://127.0.0.1:${app.httpAddress?.port ?? 0}/readyz`;
    const waiting = await fetch(readyz);
    expect(waiting.status).toBe(503);
    expect(await waiting.json()).toMatchObject({ status: 'not ready', plugins: expect.stringMatching(/^no worker has published its plugins yet/) });

    const worker = startCli('worker', bed.writeConfig('worker', { plugins }), { logFile: join(bed.dir, 'worker.log') });
    onTestFinished(async () => { await worker.kill('SIGKILL'); });
    const deadline = Date.now() + 60_000;
    while ((await fetch(readyz)).status !== 200) {
      if (Date.now() > deadline) throw new Error('the gateway did not become ready after the worker started');
      await sleep(100);
    }
    await adapter.deliver(message('!echo later', { as: 'alice' }));
    expect(adapter.lastText()).toBe('echo later');
    expect(await worker.stop()).toEqual({ code: 0, signal: null });
    logger.assertNoErrors();
  }, 120_000);
});
