import { afterEach, describe, expect, it } from 'vitest';
import { message } from '../../fakes/fake-adapter.js';
import { startServer } from '../capabilities/loopback-server.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

const ALERTS_PLUGIN = new URL('../../../plugins/alerts', import.meta.url).pathname;

let current: TestApp | undefined;
afterEach(() => current?.logger.assertNoErrors());

describe('the alerts plugin against an Alertmanager v2 API on loopback', () => {
  it('creates a silence matching the alertname exactly, from now for the asked duration, by the chat user', async () => {
    const alertmanager = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ silenceID: '4a0e8a32-7f4c-4a55-8a7f-3c9d2b1e6f00' }));
    });
    const host = `127.0.0.1:${alertmanager.port}`;
    current = await startTestApp({
      net: { allowPrivate: [host] },
      plugins: { bundled: false, paths: [ALERTS_PLUGIN], grants: { alerts: ['net:' + host, 'post:monit'] }, config: { alerts: { alertmanager: alertmanager.origin } } },
    });
    const before = Date.now();
    await current.adapter.deliver(message('!silence HighErrorRate 1d2h --comment "noisy during the migration"', { as: 'alice' }));
    const after = Date.now();
    expect(current.adapter.lastText()).toMatch(/^Silenced HighErrorRate for 1d2h, until \d{4}-\d\d-\d\d \d\d:\d\d UTC: silence 4a0e8a32-7f4c-4a55-8a7f-3c9d2b1e6f00\./);
    expect(alertmanager.requests).toHaveLength(1);
    const [request] = alertmanager.requests;
    expect(request).toMatchObject({ method: 'POST', url: '/api/v2/silences' });
    expect(request?.headers['content-type']).toBe('application/json');
    const body = JSON.parse(request?.body ?? '{}') as { startsAt: string; endsAt: string };
    expect(body).toEqual({
      matchers: [{ name: 'alertname', value: 'HighErrorRate', isRegex: false, isEqual: true }],
      startsAt: expect.any(String), endsAt: expect.any(String), createdBy: 'alice (opsroom)', comment: 'noisy during the migration',
    });
    const starts = Date.parse(body.startsAt);
    expect(starts).toBeGreaterThanOrEqual(before - 1000);
    expect(starts).toBeLessThanOrEqual(after);
    expect(Date.parse(body.endsAt) - starts).toBe(26 * 3_600_000);
  });
});
