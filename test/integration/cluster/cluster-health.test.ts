import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { validateConfig } from '../../../src/config/load-config.js';
import { OpsroomApp } from '../../../src/di/opsroom-app.js';
import { FakeAdapter, message } from '../../fakes/fake-adapter.js';
import { createTestLogger } from '../../fakes/test-logger.js';
import { openClusterBed, writeEchoPlugin } from '../../support/cluster-bed.js';
import { startPrivateRedis } from '../../support/private-redis.js';

describe('health of a process in a cluster', () => {
  it('reports Redis and platform connections on /readyz, and queue depth, job latency and runner restarts on /metrics', async () => {
    const redis = await startPrivateRedis();
    onTestFinished(() => redis.stop());
    const bed = await openClusterBed();
    onTestFinished(() => bed.cleanup());
    const config = validateConfig(bed.config({
      cluster: { redisUrl: redis.url }, plugins: { paths: [writeEchoPlugin(bed.dir)], grants: { echo: 'all' } }, logging: { file: join(bed.dir, 'log') },
    }), 'test configuration');
    const logger = createTestLogger('warn');
    const adapter = new FakeAdapter('local');
    const app = await OpsroomApp.start({ config, logger, adapters: [adapter], http: true, role: 'all' });
    onTestFinished(() => app.stop());
    const base = `http://127.0.0.1:${app.httpAddress?.port ?? 0}`;

    await adapter.deliver(message('!echo up', { as: 'alice' }));
    expect(adapter.lastText()).toBe('echo up');
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', storage: 'ok', redis: 'ok (all; 1 gateway and 1 worker alive)', local: 'started' });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/^opsroom_queue_jobs\{state="waiting"\} 0$/m);
    expect(metrics).toMatch(/^opsroom_job_latency_seconds_count\{kind="command",outcome="answered"\} 1$/m);
    expect(metrics).toMatch(/^opsroom_job_wait_seconds_count\{kind="command"\} 1$/m);
    expect(metrics).toMatch(/^opsroom_jobs_run_total\{kind="command",outcome="done"\} 1$/m);
    expect(metrics).toMatch(/^opsroom_sandbox_runner_restarts 0$/m);

    logger.expectErrors('lost the connection to Redis');
    await redis.stop();
    const down = await fetch(`${base}/readyz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ status: 'not ready', storage: 'ok', redis: expect.stringMatching(/Redis at redis:\/\/127\.0\.0\.1:\d+ does not answer/) });
    const stopped = Date.now();
    await app.stop();
    expect(Date.now() - stopped).toBeLessThan(15_000);
  }, 60_000);
});
