import { afterEach, describe, expect, it } from 'vitest';
import { message } from '../../fakes/fake-adapter.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

let current: TestApp | undefined;
afterEach(() => current?.logger.assertNoErrors());

async function started(): Promise<{ base: string; testApp: TestApp }> {
  current = await startTestApp({}, { http: true });
  const address = current.app.httpAddress;
  if (!address) throw new Error('http server did not start');
  expect(address.address).toBe('127.0.0.1');
  return { base: `http://127.0.0.1:${address.port}`, testApp: current };
}

describe('HTTP server', () => {
  it('answers /healthz', async () => {
    const { base } = await started();
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz while storage is reachable and 503 once it is not', async () => {
    const { base, testApp } = await started();
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const { Database } = await import('../../../src/storage/database.js');
    await testApp.app.get<{ close(): Promise<void> }>(Database).close();
    const res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'not ready' });
  });

  it('exposes command outcomes, latency and events by platform on /metrics', async () => {
    const { base, testApp } = await started();
    await testApp.adapter.deliver(message('!ping'));
    await testApp.adapter.deliver(message('!nosuchthing'));
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toMatch(/opsroom_commands_total\{outcome="succeeded"\} 1/);
    expect(text).toMatch(/opsroom_commands_total\{outcome="unknown"\} 1/);
    expect(text).toMatch(/opsroom_command_duration_seconds_count\{plugin="core"\} 1/);
    expect(text).toMatch(/opsroom_events_received_total\{platform="local",type="message"\} 2/);
  });

  it('answers 404 for an unknown path and 405 for a wrong method', async () => {
    const { base } = await started();
    expect((await fetch(`${base}/nothing-here`)).status).toBe(404);
    expect((await fetch(`${base}/healthz`, { method: 'POST' })).status).toBe(405);
  });
});
