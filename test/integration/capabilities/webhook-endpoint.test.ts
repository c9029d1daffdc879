import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../src/audit/audit-log.js';
import type { ConfigInput } from '../../../src/config/config-schema.js';
import { PluginManager } from '../../../src/plugins/plugin-manager.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

const GITHUB_PLUGIN = new URL('../../../plugins/github', import.meta.url).pathname;
const CI_PLUGIN = new URL('../../../plugins/ci', import.meta.url).pathname;
const STATUS_PLUGIN = new URL('../../../plugins/status', import.meta.url).pathname;
const PUSH = readFileSync(new URL('../plugins/fixtures/github-push.json', import.meta.url), 'utf8');
const GITHUB_SECRET = 'github-webhook-secret-for-tests';
const CI_SECRET = 'ci-hmac-secret';
const HOOK_TOKEN = 'hooktest-bearer-token';

/** A plugin that records its calls, fails the first one when asked, and echoes what it was given. */
const HOOKTEST_CODE = `export default {
  async onWebhook(ctx, req) {
    const calls = (await ctx.storage.get('calls')) || 0;
    await ctx.storage.set('calls', calls + 1);
    if (req.query.fail === 'once' && calls === 0) throw new Error('the first delivery fails');
    return { status: 202, body: { method: req.method, headers: req.headers, query: req.query, json: req.json(), calls: calls + 1 } };
  },
};\n`;

function writeHooktest(dir: string): string {
  const plugin = join(dir, 'hooktest');
  mkdirSync(plugin, { recursive: true });
  writeFileSync(join(plugin, 'plugin.json'), JSON.stringify({
    name: 'hooktest', version: '1.0.0', apiVersion: 1, description: 'echoes webhooks', events: ['webhook'],
    capabilities: { webhook: true, storage: { quotaKb: 16 } },
  }));
  writeFileSync(join(plugin, 'index.js'), HOOKTEST_CODE);
  return plugin;
}

let current: TestApp | undefined;
afterEach(() => current?.logger.assertNoErrors());

async function app(overrides: Partial<ConfigInput> = {}, grants: Record<string, 'all' | string[]> = {}): Promise<{ base: string; t: TestApp }> {
  const env = { OPSROOM_TEST_GITHUB_SECRET: GITHUB_SECRET, OPSROOM_TEST_CI_SECRET: CI_SECRET, OPSROOM_TEST_HOOK_TOKEN: HOOK_TOKEN };
  Object.assign(process.env, env);
  const dir = mkdtempSync(join(tmpdir(), 'opsroom-hooks-'));
  current = await startTestApp({
    plugins: { bundled: false, paths: [GITHUB_PLUGIN, CI_PLUGIN, STATUS_PLUGIN, writeHooktest(dir)], grants: { github: 'all', ci: 'all', hooktest: 'all', ...grants } },
    secrets: { GITHUB_WEBHOOK_SECRET: { env: 'OPSROOM_TEST_GITHUB_SECRET' }, CI_WEBHOOK_SECRET: { env: 'OPSROOM_TEST_CI_SECRET' }, HOOK_TOKEN: { env: 'OPSROOM_TEST_HOOK_TOKEN' } },
    webhooks: {
      maxBodyKb: 64,
      plugins: {
        github: { verify: 'github', secret: 'GITHUB_WEBHOOK_SECRET' },
        ci: { verify: 'hmac', secret: 'CI_WEBHOOK_SECRET', header: 'X-Signature', prefix: 'sha256=', eventHeader: 'X-CI-Event', deliveryHeader: 'X-CI-Delivery' },
        hooktest: { verify: 'bearer', secret: 'HOOK_TOKEN', deliveryHeader: 'X-Delivery' },
      },
    },
    ...overrides,
  }, { http: true, dir });
  const port = current.app.httpAddress?.port;
  if (!port) throw new Error('no http server');
  return { base: `http://127.0.0.1:${port}`, t: current };
}

function signed(body: string, secret = GITHUB_SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

function pushRequest(delivery: string, body = PUSH, signature = signed(body)): RequestInit {
  return { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': delivery, 'x-hub-signature-256': signature } };
}

async function webhookAudit(t: TestApp): Promise<Array<{ outcome: string | null; detail: Record<string, unknown> | null }>> {
  const records = await t.app.get<AuditLog>(AuditLog).list({ action: 'webhook.received', limit: 100 });
  return records.reverse().map((r) => ({ outcome: r.outcome, detail: r.detail as Record<string, unknown> | null }));
}

function posts(t: TestApp, channel: string): string[] {
  return t.adapter.sent.filter((s) => s.kind === 'send' && s.channelId === channel).map((s) => s.message?.text ?? '');
}

describe('POST /hooks/<plugin>', () => {
  it('verifies a GitHub push on the host, delivers it once, and audits plugin, event type and outcome', async () => {
    const { base, t } = await app();
    const first = await fetch(`${base}/hooks/github`, pushRequest('72d3162e-cc78-11e3-81ab-4c9367dc0958'));
    expect(first.status).toBe(200);
    expect(await first.text()).toBe('posted to commits');
    expect(posts(t, 'local:channel:commits')).toEqual(['**acme/web**: alice pushed 3 commits to `main`']);
    const again = await fetch(`${base}/hooks/github`, pushRequest('72d3162e-cc78-11e3-81ab-4c9367dc0958'));
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ status: 'duplicate', delivery: '72d3162e-cc78-11e3-81ab-4c9367dc0958' });
    expect(posts(t, 'local:channel:commits')).toHaveLength(1);
    expect(await webhookAudit(t)).toEqual([
      { outcome: 'delivered', detail: { plugin: 'github', event: 'push', status: 200, delivery: '72d3162e-cc78-11e3-81ab-4c9367dc0958', bytes: Buffer.byteLength(PUSH) } },
      { outcome: 'duplicate', detail: { plugin: 'github', event: 'push', status: 200, delivery: '72d3162e-cc78-11e3-81ab-4c9367dc0958', bytes: Buffer.byteLength(PUSH) } },
    ]);
  });

  it('answers a bad or missing signature with 401 and never calls the plugin', async () => {
    const { base, t } = await app();
    const wrongSecret = await fetch(`${base}/hooks/github`, pushRequest('d-1', PUSH, signed(PUSH, 'not the secret')));
    expect(wrongSecret.status).toBe(401);
    expect(await wrongSecret.json()).toEqual({ error: 'the X-Hub-Signature-256 signature does not match the body' });
    const tampered = await fetch(`${base}/hooks/github`, pushRequest('d-2', PUSH.replace('alice', 'mallory'), signed(PUSH)));
    expect(tampered.status).toBe(401);
    const init = pushRequest('d-3');
    delete (init.headers as Record<string, string>)['x-hub-signature-256'];
    const missing = await fetch(`${base}/hooks/github`, init);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ error: 'the X-Hub-Signature-256 header is missing' });
    expect(posts(t, 'local:channel:commits')).toEqual([]);
    expect((await webhookAudit(t)).map((a) => [a.outcome, a.detail?.status, a.detail?.reason])).toEqual([
      ['rejected', 401, 'the X-Hub-Signature-256 signature does not match the body'],
      ['rejected', 401, 'the X-Hub-Signature-256 signature does not match the body'],
      ['rejected', 401, 'the X-Hub-Signature-256 header is missing'],
    ]);
  });

  it('answers 404 for an unknown plugin or one that takes no webhooks, and 403 without the webhook grant', async () => {
    const { base, t } = await app({}, { ci: ['post:builds', 'storage'] });
    const unknown = await fetch(`${base}/hooks/nosuchplugin`, pushRequest('d-1'));
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: 'there is no plugin "nosuchplugin" to take webhooks' });
    expect((await fetch(`${base}/hooks/../github`, pushRequest('d-2'))).status).toBe(404);
    expect((await fetch(`${base}/hooks/github/extra`, pushRequest('d-3'))).status).toBe(404);
    const noWebhooks = await fetch(`${base}/hooks/status`, pushRequest('d-4'));
    expect(noWebhooks.status).toBe(404);
    expect(await noWebhooks.json()).toEqual({ error: 'status takes no webhooks' });
    const ungranted = await fetch(`${base}/hooks/ci`, { method: 'POST', body: '{}', headers: { 'x-signature': 'sha256=00' } });
    expect(ungranted.status).toBe(403);
    expect(await ungranted.json()).toEqual({ error: 'ci was not granted webhook; an admin can grant it with `plugin grant ci webhook`' });
    expect(posts(t, 'local:channel:builds')).toEqual([]);
    expect((await webhookAudit(t)).map((a) => [a.outcome, a.detail?.plugin, a.detail?.status])).toEqual([['rejected', 'status', 404], ['rejected', 'ci', 403]]);
  });

  it('answers 403 while the plugin is disabled', async () => {
    const { base, t } = await app();
    await t.app.get<PluginManager>(PluginManager).setEnabled('github', false, 'local:user:bob');
    const res = await fetch(`${base}/hooks/github`, pushRequest('d-1'));
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: 'github is disabled; an admin can enable it with `plugin enable github`' });
  });

  it('caps the body with 413, before verifying or calling anything', async () => {
    const { base, t } = await app();
    const big = JSON.stringify({ padding: 'x'.repeat(70 * 1024) });
    const res = await fetch(`${base}/hooks/github`, pushRequest('d-1', big, signed(big)));
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: 'the body is larger than 64 KiB' });
    const announced = await new Promise<number>((resolve, reject) => {
      const req = request(`${base}/hooks/github`, { method: 'POST', headers: { 'content-length': String(50 * 1024 * 1024) } }, (r) => {
        r.resume();
        resolve(r.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write('{"a":');
    });
    expect(announced).toBe(413);
    expect(posts(t, 'local:channel:commits')).toEqual([]);
    expect((await webhookAudit(t)).map((a) => [a.outcome, a.detail?.status, a.detail?.bytes])).toEqual([['rejected', 413, big.length], ['rejected', 413, 50 * 1024 * 1024]]);
  });

  it('refuses every webhook of a plugin whose verification the operator has not configured', async () => {
    const { base, t } = await app({ webhooks: { plugins: {} } });
    const res = await fetch(`${base}/hooks/github`, pushRequest('d-1'));
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'webhooks for github cannot be verified: the operator has not configured webhooks.plugins.github' });
    expect(t.logger.entries().some((e) => String(e.msg).includes('set webhooks.plugins.github in the configuration'))).toBe(true);
  });

  it('verifies a generic HMAC header, with the configured event and delivery headers', async () => {
    const { base, t } = await app();
    const body = JSON.stringify({ pipeline: 'web', stage: 'test', status: 'failed', branch: 'main', url: 'https://ci.acme.example/web/builds/42' });
    const headers = { 'x-ci-event': 'build', 'x-ci-delivery': 'build-42', 'x-signature': `sha256=${createHmac('sha256', CI_SECRET).update(body).digest('hex')}` };
    const res = await fetch(`${base}/hooks/ci`, { method: 'POST', body, headers });
    expect(res.status).toBe(200);
    expect(posts(t, 'local:channel:builds')).toEqual(['❌ **web** › test failed on `main`']);
    const forged = await fetch(`${base}/hooks/ci`, { method: 'POST', body, headers: { ...headers, 'x-ci-delivery': 'build-43', 'x-signature': 'sha256=00ff' } });
    expect(forged.status).toBe(401);
    expect((await webhookAudit(t)).map((a) => [a.outcome, a.detail?.event, a.detail?.delivery])).toEqual([['delivered', 'build', 'build-42'], ['rejected', 'build', 'build-43']]);
  });

  it('checks a bearer token, keeps credentials from the plugin, and processes a delivery that failed again', async () => {
    const { base, t } = await app();
    const send = (token: string, delivery: string) => fetch(`${base}/hooks/hooktest?fail=once&x=1`, {
      method: 'POST', body: '{"hello":"world"}', headers: { authorization: `Bearer ${token}`, cookie: 'session=1', 'x-delivery': delivery, 'content-type': 'application/json' },
    });
    expect((await send('wrong', 'a-1')).status).toBe(401);
    const failed = await send(HOOK_TOKEN, 'a-1');
    expect(failed.status).toBe(500);
    expect(await failed.json()).toEqual({ error: 'hooktest failed to handle the webhook; the operators can find why in the log' });
    const retried = await send(HOOK_TOKEN, 'a-1');
    expect(retried.status).toBe(202);
    const echoed = await retried.json() as { method: string; headers: Record<string, string>; query: Record<string, string>; json: unknown; calls: number };
    expect(echoed).toMatchObject({ method: 'POST', query: { fail: 'once', x: '1' }, json: { hello: 'world' }, calls: 2 });
    expect(echoed.headers).toMatchObject({ 'x-delivery': 'a-1', 'content-type': 'application/json' });
    expect(Object.keys(echoed.headers)).not.toContain('authorization');
    expect(Object.keys(echoed.headers)).not.toContain('cookie');
    expect((await send(HOOK_TOKEN, 'a-1')).status).toBe(200);
    expect((await webhookAudit(t)).map((a) => a.outcome)).toEqual(['rejected', 'failed', 'delivered', 'duplicate']);
  });
});
