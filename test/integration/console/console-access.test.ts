import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { WebSocket } from 'ws';
import { AuditLog } from '../../../src/audit/audit-log.js';
import { LocalChatHub } from '../../../src/core/local-chat-hub.js';
import { ConsoleClient, openSocket, send } from './console-client.js';
import { eventually, startConsoleApp, type ConsoleApp } from './console-harness.js';

let opsroom: ConsoleApp;

beforeAll(async () => { opsroom = await startConsoleApp(); });
afterAll(async () => { await opsroom?.stop(); });
afterEach(() => opsroom.logger.assertNoErrors());

/** A concrete path for a route pattern: sample values for its parameters. */
function concrete(path: string): string {
  return path.replace(':id', 'a7f3kx').replace(':name', 'restart').replace(':index', '0').replace(/\/\*$/, '/index.js');
}

function closed(socket: WebSocket): Promise<number> {
  return new Promise((resolve) => socket.once('close', (code) => resolve(code)));
}

describe('web console access', () => {
  it('refuses every route without a session, and the WebSocket too', async () => {
    const routes = opsroom.console.routes();
    expect(routes.length).toBeGreaterThan(20);
    expect(routes).toEqual(expect.arrayContaining([
      { method: 'GET', path: '/' }, { method: 'GET', path: '/ws' }, { method: 'POST', path: '/api/chat/messages' },
      { method: 'POST', path: '/api/plugins/:name/grant' }, { method: 'GET', path: '/api/audit' },
      { method: 'GET', path: '/api/chat/messages/:id/files/:index' },
    ]));
    const answers: string[] = [];
    for (const route of routes) {
      const path = concrete(route.path);
      if (path === '/ws') {
        const result = await openSocket(opsroom.base, { origin: opsroom.base });
        answers.push(`${route.method} ${path} ${'status' in result ? result.status : 'open'}`);
        continue;
      }
      const answer = route.method === 'POST'
        ? await send(opsroom.base, 'POST', path, { body: '{}', headers: { 'content-type': 'application/json', origin: opsroom.base, 'x-csrf-token': 'guess' } })
        : await send(opsroom.base, 'GET', path);
      expect(answer.headers['set-cookie']).toBeUndefined();
      answers.push(`${route.method} ${path} ${answer.status}`);
    }
    const expected = routes.map((r) => `${r.method} ${concrete(r.path)} ${r.path === '/login' ? 403 : 401}`);
    expect(answers).toEqual(expected);
  });

  it('trades a one-time login link for an HttpOnly, SameSite=Strict session cookie, once', async () => {
    const url = new URL(opsroom.loginUrl());
    expect(url.origin).toBe(opsroom.base);
    expect(url.searchParams.get('token')).toMatch(/^[\w-]{43}$/);
    const first = await send(opsroom.base, 'GET', url.pathname + url.search);
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    expect(first.headers['set-cookie']).toEqual([expect.stringMatching(/^opsroom_console_\d+=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict$/)]);
    const again = await send(opsroom.base, 'GET', url.pathname + url.search);
    expect(again.status).toBe(403);
    expect(again.text).toContain('already used');
    expect((await send(opsroom.base, 'GET', '/login?token=nonsense')).status).toBe(403);
    const logins = await opsroom.app.get<AuditLog>(AuditLog).list({ action: 'console.login' });
    expect(logins.length).toBeGreaterThan(0);
  });

  it('refuses a change without the CSRF token, with a wrong one, or from another origin, and takes the real one', async () => {
    const client = await ConsoleClient.login(opsroom.base, opsroom.loginUrl());
    const body = JSON.stringify({ channel: 'ops', text: 'whoami' });
    const headers = { cookie: client.cookie, 'content-type': 'application/json' };
    const attempts: Array<Record<string, string>> = [
      { origin: opsroom.base },
      { origin: opsroom.base, 'x-csrf-token': 'x'.repeat(43) },
      { origin: 'http://evil.example', 'x-csrf-token': client.csrf },
      { 'x-csrf-token': client.csrf },
    ];
    for (const extra of attempts) {
      const answer = await send(opsroom.base, 'POST', '/api/chat/messages', { body, headers: { ...headers, ...extra } });
      expect(answer.status).toBe(403);
      expect(answer.json()).toMatchObject({ code: 'E_CONSOLE_SESSION' });
    }
    expect(opsroom.terminal()).not.toContain('alice (web): whoami');
    const accepted = await client.post('/api/chat/messages', { channel: 'ops', text: 'whoami' });
    expect(accepted.status).toBe(201);
    await eventually('the reply in the terminal', () => /alice \(web\): whoami\nYou are alice/.test(opsroom.terminal()));
  });

  it('refuses a Host it does not answer as, even with a session (DNS rebinding)', async () => {
    const client = await ConsoleClient.login(opsroom.base, opsroom.loginUrl());
    const port = new URL(opsroom.base).port;
    const rebound = await send(opsroom.base, 'GET', '/api/session', { headers: { cookie: client.cookie, host: `evil.example:${port}` } });
    expect(rebound.status).toBe(403);
    expect(rebound.json<{ error: string }>().error).toContain('http.console.origins');
    expect((await send(opsroom.base, 'GET', '/api/session', { headers: { cookie: client.cookie, host: `localhost:${port}` } })).status).toBe(200);
    const login = new URL(opsroom.loginUrl());
    expect((await send(opsroom.base, 'GET', login.pathname + login.search, { headers: { host: `evil.example:${port}` } })).status).toBe(403);
  });

  it('opens the live socket only with a session and an allowed Origin, and closes it at logout', async () => {
    const client = await ConsoleClient.login(opsroom.base, opsroom.loginUrl());
    expect(await openSocket(opsroom.base, { cookie: client.cookie, origin: 'http://evil.example' })).toEqual({ status: 403 });
    expect(await openSocket(opsroom.base, { cookie: client.cookie })).toEqual({ status: 403 });
    const opened = await openSocket(opsroom.base, { cookie: client.cookie, origin: opsroom.base });
    if ('status' in opened) throw new Error(`socket refused with ${opened.status}`);
    onTestFinished(() => { opened.socket.terminate(); });
    expect(opened.first).toMatchObject({ type: 'snapshot', channels: ['ops', 'commits', 'builds', 'monit', 'bytes'] });
    const next = new Promise<Record<string, unknown>>((resolve) => opened.socket.once('message', (data) => resolve(JSON.parse(String(data)) as Record<string, unknown>)));
    opsroom.type('ping');
    expect(await next).toMatchObject({ type: 'posted', entry: { via: 'terminal', message: { text: 'ping' }, author: { id: 'local:user:alice' } } });
    const ended = closed(opened.socket);
    expect((await client.post('/api/logout', {})).status).toBe(200);
    expect(await ended).toBe(4401);
    expect((await client.get('/api/session')).status).toBe(401);
  });

  it('answers bad input with a specific error', async () => {
    const client = await ConsoleClient.login(opsroom.base, opsroom.loginUrl());
    const cases: Array<[Promise<{ status: number; text: string }>, number, string]> = [
      [client.get('/api/session', 'mallory'), 200, 'csrfToken'],
      [client.get('/api/wishlist', 'mallory'), 400, 'there is no console user \\"mallory\\" (users: alice, bob, carol)'],
      [client.post('/api/chat/messages', { channel: 'nowhere', text: 'ping' }), 404, 'there is no channel \\"nowhere\\" (channels: #ops, #commits, #builds, #monit, #bytes)'],
      [client.post('/api/chat/messages', { channel: 'ops', text: '   ' }), 400, 'an empty message says nothing'],
      [client.post('/api/chat/messages', { channel: 'ops' }), 400, 'the body needs \\"text\\"'],
      [client.post('/api/chat/messages', { channel: 'ops', text: 5 }), 400, '\\"text\\" must be a string, not number'],
      [client.post('/api/chat/reactions', { messageId: 'zz-m999', emoji: '✅' }), 404, 'there is no message zz-m999'],
      [client.post('/api/chat/reactions', { messageId: 'zz-m999', emoji: 'two words' }), 400, 'is not an emoji'],
      [client.post('/api/chat/reactions', { messageId: 'zz-m999', emoji: '✅', added: 'yes' }), 400, '\\"added\\" must be true'],
      [client.post('/api/chat/actions', { messageId: 'zz-m999', actionId: 'approval.approve' }), 404, 'there is no message zz-m999'],
      [client.post('/api/approvals/NOT-AN-ID/approve', {}), 400, 'is not an approval request id'],
      [client.post('/api/approvals/a7f3kx/approve', {}), 404, 'there is no approval request a7f3kx'],
      [client.get('/api/audit?limit=5000'), 400, 'limit must be a whole number from 1 to 1000'],
      [client.get('/api/audit?user=Not%20A%20User'), 400, 'is not a user'],
      [client.get('/api/nothing'), 404, 'the console has no GET /api/nothing'],
      [client.post('/api/plugins/restart/grant', { capability: 'net:example.com' }, 'bob'), 400, 'restart does not ask for net:example.com'],
      [client.post('/api/plugins/nosuch/grant', { capability: 'storage' }, 'bob'), 404, 'there is no plugin nosuch'],
    ];
    for (const [pending, status, text] of cases) {
      const answer = await pending;
      expect({ status: answer.status, text: answer.text }).toEqual({ status, text: expect.stringContaining(text) });
    }
    const plain = await send(opsroom.base, 'POST', '/api/chat/messages', {
      body: 'ping', headers: { cookie: client.cookie, origin: opsroom.base, 'x-csrf-token': client.csrf, 'content-type': 'text/plain' },
    });
    expect(plain.status).toBe(415);
    const broken = await send(opsroom.base, 'POST', '/api/chat/messages', {
      body: '{"channel":', headers: { cookie: client.cookie, origin: opsroom.base, 'x-csrf-token': client.csrf, 'content-type': 'application/json' },
    });
    expect(broken.status).toBe(400);
    expect(broken.json<{ error: string }>().error).toMatch(/^the body is not valid JSON/);
  });

  it('lets each identity see and do only what its permissions allow', async () => {
    const client = await ConsoleClient.login(opsroom.base, opsroom.loginUrl());
    const session = (await client.get('/api/session')).json<{ users: Array<{ name: string; roles: string[]; can: Record<string, boolean> }> }>();
    expect(session.users.map((u) => [u.name, u.roles, u.can])).toEqual([
      ['alice', ['operator'], { readAudit: true, readPlugins: true, adminPlugins: true, adminRoles: false }],
      ['bob', ['admin', 'approver'], { readAudit: true, readPlugins: true, adminPlugins: true, adminRoles: true }],
      ['carol', [], { readAudit: false, readPlugins: false, adminPlugins: false, adminRoles: false }],
    ]);
    expect((await client.get('/api/audit', 'carol')).text).toContain('reading the audit log needs the permission audit:read, which carol does not hold');
    expect((await client.get('/api/audit/verify', 'carol')).status).toBe(403);
    expect((await client.get('/api/plugins', 'carol')).status).toBe(403);
    const grant = await client.post('/api/plugins/restart/revoke', { capability: 'runbooks:restart-app' }, 'carol');
    expect(grant.status).toBe(403);
    expect(grant.json<{ error: string }>().error).toContain('plugin:admin');
    expect((await client.get('/api/roles', 'alice')).status).toBe(403);
    expect((await client.get('/api/wishlist', 'carol')).status).toBe(200);
    expect((await client.get('/api/approvals', 'carol')).json()).toEqual({ requests: [] });

    const granted = await client.post('/api/roles/grant', { user: 'carol', role: 'approver' }, 'bob');
    expect(granted.json()).toMatchObject({ result: { principal: 'local:user:carol', role: 'approver', changed: true } });
    onTestFinished(async () => { await client.post('/api/roles/revoke', { user: 'carol', role: 'approver' }, 'bob'); });
    const roles = (await client.get('/api/session')).json<{ users: Array<{ name: string; roles: string[] }> }>();
    expect(roles.users.find((u) => u.name === 'carol')?.roles).toEqual(['approver']);
  });

  it('passes a button press through the router as the chosen identity: the approver releases a restart', async () => {
    const client = await ConsoleClient.login(opsroom.base, opsroom.loginUrl());
    const asked = await client.post('/api/chat/messages', { channel: 'builds', text: 'restart opsroom' }, 'alice');
    expect(asked.status).toBe(201);
    const requests = await eventually('the pending request', async () => {
      const list = (await client.get('/api/approvals', 'bob')).json<{ requests: Array<{ id: string; text: string; canDecide: boolean }> }>().requests;
      return list.find((r) => r.text === 'restart opsroom');
    });
    expect(requests.canDecide).toBe(true);
    const entry = await eventually('the request message', () => opsroom.app.get<LocalChatHub>(LocalChatHub).history()
      .find((e) => e.message.text.includes(`id ${requests.id}`)));
    const refused = await client.post('/api/chat/actions', { messageId: entry.id, actionId: 'no.such.button' }, 'bob');
    expect(refused.json<{ error: string }>().error).toMatch(/has no button "no.such.button" \(it has: Approve, Deny\)/);
    expect((await client.post('/api/chat/actions', { messageId: entry.id, actionId: 'approval.approve' }, 'bob')).status).toBe(200);
    await eventually('the restart result', () => opsroom.terminal().includes('[#builds] Restarted opsroom: opsroom restarted'));
    expect(opsroom.terminal()).toContain('bob (web) pressed [Approve]');
  });
});

describe('web console admin actions', () => {
  it('refuses a grant that an approval policy would hold, and says to ask in chat', async () => {
    const held = await startConsoleApp({ approvals: { policies: [{ command: 'plugin grant', approvals: 1, approverRoles: ['admin'] }] } });
    onTestFinished(() => held.stop());
    const client = await ConsoleClient.login(held.base, held.loginUrl());
    const revoke = await client.post('/api/plugins/restart/revoke', { capability: 'runbooks:restart-app' }, 'bob');
    expect(revoke.status).toBe(200);
    const grant = await client.post('/api/plugins/restart/grant', { capability: 'runbooks:restart-app' }, 'bob');
    expect(grant.status).toBe(403);
    expect(grant.json<{ error: string }>().error).toBe('`plugin grant restart runbooks:restart-app` needs 1 approval from admin (approvals.policies[0]); ask for it in chat, where it can wait for approval');
    const plugins = (await client.get('/api/plugins', 'bob')).json<{ plugins: Array<{ capabilities: Array<{ granted: boolean }> }> }>();
    expect(plugins.plugins[0]?.capabilities).toEqual([expect.objectContaining({ granted: false })]);
    held.logger.assertNoErrors();
  });
});
