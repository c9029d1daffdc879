import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../src/audit/audit-log.js';
import { startTestApp } from '../../support/test-app.js';

const GITHUB_PLUGIN = new URL('../../../plugins/github', import.meta.url).pathname;
const ALERTS_PLUGIN = new URL('../../../plugins/alerts', import.meta.url).pathname;
const VARIABLES = { OPSROOM_TEST_GITHUB_SECRET: 'hook-secret', OPSROOM_TEST_ALERTS_TOKEN: 'alert-token' };

const PUSH = JSON.stringify({
  ref: 'refs/heads/main', compare: 'https://github.com/acme/web/compare/a...b', pusher: { name: 'alice' },
  repository: { full_name: 'acme/web' },
  commits: [
    { id: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', message: 'Fix the login page', timestamp: '2025-03-09T10:00:00+02:00', author: { name: 'Alice' } },
    { id: 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', message: 'Bump the version', timestamp: '2025-03-09T09:30:00Z', author: { name: 'Bob' } },
  ],
});

const NOTIFICATION = JSON.stringify({
  version: '4', status: 'resolved', receiver: 'opsroom', groupKey: '{}:{alertname="HighErrorRate"}', groupLabels: { alertname: 'HighErrorRate' },
  commonLabels: { alertname: 'HighErrorRate', service: 'web' }, commonAnnotations: {}, externalURL: 'http://alertmanager.example:9093', truncatedAlerts: 0,
  alerts: [{
    status: 'resolved', labels: { alertname: 'HighErrorRate', service: 'web' }, annotations: { summary: '5xx above 2%' },
    startsAt: '2025-03-13T10:20:00Z', endsAt: '2025-03-13T10:50:00Z', fingerprint: 'f00dfeed', generatorURL: 'http://prometheus.example:9090',
  }],
});

describe('FeedRecorder', () => {
  afterEach(() => {
    for (const name of Object.keys(VARIABLES)) delete process.env[name];
  });

  it('records commit times of a verified GitHub push and the alerts of an Alertmanager notification in the audit log', async () => {
    Object.assign(process.env, VARIABLES);
    const { app } = await startTestApp({
      http: { enabled: true },
      plugins: { bundled: false, paths: [GITHUB_PLUGIN, ALERTS_PLUGIN], grants: { github: 'all', alerts: 'all' } },
      secrets: { GITHUB_WEBHOOK_SECRET: { env: 'OPSROOM_TEST_GITHUB_SECRET' }, ALERTS_TOKEN: { env: 'OPSROOM_TEST_ALERTS_TOKEN' } },
      webhooks: { plugins: { github: { verify: 'github', secret: 'GITHUB_WEBHOOK_SECRET' }, alerts: { verify: 'bearer', secret: 'ALERTS_TOKEN' } } },
    }, { http: true });
    const base = `http://127.0.0.1:${app.httpAddress?.port}`;
    const pushed = await fetch(`${base}/hooks/github`, {
      method: 'POST', body: PUSH,
      headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': 'd-1', 'x-hub-signature-256': `sha256=${createHmac('sha256', 'hook-secret').update(PUSH).digest('hex')}` },
    });
    expect(pushed.status).toBe(200);
    const notified = await fetch(`${base}/hooks/alerts`, { method: 'POST', body: NOTIFICATION, headers: { 'content-type': 'application/json', authorization: 'Bearer alert-token' } });
    expect(notified.status).toBe(200);
    const audit = app.get<AuditLog>(AuditLog);
    expect((await audit.list({ action: 'feed.commits' }))[0]?.detail).toEqual({
      plugin: 'github', source: 'github', repo: 'acme/web', branch: 'main',
      commits: [{ id: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', at: '2025-03-09T08:00:00.000Z' }, { id: 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', at: '2025-03-09T09:30:00.000Z' }],
    });
    expect((await audit.list({ action: 'feed.alerts' }))[0]?.detail).toEqual({
      plugin: 'alerts', source: 'alertmanager',
      alerts: [{ fingerprint: 'f00dfeed', name: 'HighErrorRate', service: 'web', status: 'resolved', startsAt: '2025-03-13T10:20:00.000Z', endsAt: '2025-03-13T10:50:00.000Z' }],
    });
  });

  it('records nothing for a delivery that fails verification', async () => {
    Object.assign(process.env, VARIABLES);
    const { app } = await startTestApp({
      http: { enabled: true },
      plugins: { bundled: false, paths: [GITHUB_PLUGIN], grants: { github: 'all' } },
      secrets: { GITHUB_WEBHOOK_SECRET: { env: 'OPSROOM_TEST_GITHUB_SECRET' } },
      webhooks: { plugins: { github: { verify: 'github', secret: 'GITHUB_WEBHOOK_SECRET' } } },
    }, { http: true });
    const response = await fetch(`http://127.0.0.1:${app.httpAddress?.port}/hooks/github`, {
      method: 'POST', body: PUSH, headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-hub-signature-256': 'sha256=00' },
    });
    expect(response.status).toBe(401);
    expect(await app.get<AuditLog>(AuditLog).list({ action: 'feed.commits' })).toEqual([]);
  });
});
