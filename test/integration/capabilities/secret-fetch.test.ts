import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_NET_OPTIONS } from '../../../src/capabilities/net/net-policy.js';
import { SafeFetch, type FetchRequest } from '../../../src/capabilities/net/safe-fetch.js';
import { SecretHandles } from '../../../src/capabilities/secrets/secret-handles.js';
import { SecretStoreImpl } from '../../../src/capabilities/secrets/secret-store.js';
import { createTestLogger, type TestLogger } from '../../fakes/test-logger.js';
import { echo, startServer, type LoopbackServer, type SeenRequest } from './loopback-server.js';

const VALUE = 'ghp_T0pS3cretValue_42';

let logger: TestLogger;
afterEach(() => {
  logger.assertNoErrors();
  // Nothing the host logged during a test may carry the value.
  expect(JSON.stringify(logger.entries())).not.toContain(VALUE);
});

interface Setup {
  fetcher: SafeFetch;
  handles: SecretHandles;
  token: string;
  call(request: FetchRequest, hosts?: string[]): ReturnType<SafeFetch['fetch']>;
}

/** `bound` may receive GITHUB_TOKEN; `other` is granted to the plugin but not bound to the secret. */
function setup(bound: LoopbackServer, other: LoopbackServer | undefined, env: NodeJS.ProcessEnv = { GITHUB_TOKEN: VALUE }): Setup {
  logger = createTestLogger();
  const fetcher = new SafeFetch({ ...DEFAULT_NET_OPTIONS, allowPrivate: ['127.0.0.1'] }, logger);
  const store = new SecretStoreImpl({ GITHUB_TOKEN: { env: 'GITHUB_TOKEN' } }, env);
  const handles = new SecretHandles('deploy', [{ name: 'GITHUB_TOKEN', hosts: [`127.0.0.1:${bound.port}`] }], store);
  const granted = [`127.0.0.1:${bound.port}`, ...(other ? [`127.0.0.1:${other.port}`] : [])];
  const token = handles.placeholders().GITHUB_TOKEN as string;
  return {
    fetcher, handles, token,
    call: (request, hosts = granted) => fetcher.fetch({ hosts }, request, handles.binderFor(new URL(request.url))),
  };
}

describe('Secrets through SafeFetch', () => {
  it('substitutes the value into a header of a request to the bound host', async () => {
    const bound = await startServer((_req, res) => {
      res.writeHead(204);
      res.end();
    });
    const s = setup(bound, undefined);
    const res = await s.call({ url: `${bound.origin}/dispatch`, init: { method: 'POST', headers: { authorization: `Bearer ${s.token}` }, body: '{}' } });
    expect(res.status).toBe(204);
    expect(bound.requests[0]?.headers.authorization).toBe(`Bearer ${VALUE}`);
  });

  it('leaves the placeholder literal in a header to a granted host that is not bound', async () => {
    const bound = await startServer(echo);
    const other = await startServer(echo);
    const s = setup(bound, other);
    await s.call({ url: `${other.origin}/`, init: { headers: { authorization: `Bearer ${s.token}` } } });
    expect(other.requests[0]?.headers.authorization).toBe(`Bearer ${s.token}`);
    expect(JSON.stringify(other.requests)).not.toContain(VALUE);
  });

  it('leaves the placeholder literal in the body, the query and the path, even to the bound host', async () => {
    const bound = await startServer(echo);
    const s = setup(bound, undefined);
    await s.call({ url: `${bound.origin}/p/${s.token}?t=${s.token}`, init: { method: 'POST', body: JSON.stringify({ token: s.token }) } });
    const seen = bound.requests[0] as SeenRequest;
    expect(JSON.parse(seen.body)).toEqual({ token: s.token });
    expect(decodeURIComponent(seen.url)).toBe(`/p/${s.token}?t=${s.token}`);
    expect(JSON.stringify(bound.requests)).not.toContain(VALUE);
  });

  it('never lets an echoing server hand the value back to the plugin', async () => {
    const bound = await startServer((_req, res, seen) => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-echo': String(seen.headers.authorization), 'set-cookie': `t=${encodeURIComponent(String(seen.headers.authorization))}` });
      res.end(JSON.stringify({ seen, b64: Buffer.from(VALUE).toString('base64') }));
    });
    const s = setup(bound, undefined);
    const res = await s.call({ url: `${bound.origin}/whoami`, init: { headers: { authorization: `token ${s.token}` } } });
    expect(bound.requests[0]?.headers.authorization).toBe(`token ${VALUE}`);
    expect(JSON.stringify(res)).not.toContain(VALUE);
    expect(JSON.stringify(res)).not.toContain(Buffer.from(VALUE).toString('base64'));
    expect(res.headers['x-echo']).toBe('token {{opsroom-secret:GITHUB_TOKEN}}');
    expect(JSON.parse(res.body).seen.headers.authorization).toBe('token {{opsroom-secret:GITHUB_TOKEN}}');
  });

  it('drops the secret header when the bound host redirects to a granted host that is not bound', async () => {
    const other = await startServer(echo);
    const bound = await startServer((_req, res) => {
      res.writeHead(307, { location: `${other.origin}/collect` });
      res.end();
    });
    const s = setup(bound, other);
    const res = await s.call({ url: `${bound.origin}/`, init: { headers: { 'x-api-key': s.token, 'x-plain': 'kept' } } });
    expect(res.redirected).toBe(true);
    expect(bound.requests[0]?.headers['x-api-key']).toBe(VALUE);
    expect(other.requests[0]?.headers['x-api-key']).toBeUndefined();
    expect(other.requests[0]?.headers['x-plain']).toBe('kept');
    expect(JSON.stringify(other.requests)).not.toContain(VALUE);
  });

  it('redacts a value that a server puts into a redirect URL', async () => {
    const bound = await startServer((req, res, seen) => {
      if (seen.url !== '/') return echo(req, res, seen);
      res.writeHead(302, { location: `/next?leak=${encodeURIComponent(String(seen.headers['x-api-key']))}` });
      res.end();
    });
    const s = setup(bound, undefined);
    const res = await s.call({ url: `${bound.origin}/`, init: { headers: { 'x-api-key': s.token } } });
    expect(res.url).toBe(`${bound.origin}/next?leak={{opsroom-secret:GITHUB_TOKEN}}`);
    expect(JSON.stringify(res)).not.toContain(VALUE);
  });

  it('fails with how to set a missing value, before anything is sent', async () => {
    const bound = await startServer(echo);
    const s = setup(bound, undefined, {});
    await expect(s.call({ url: `${bound.origin}/`, init: { headers: { authorization: `Bearer ${s.token}` } } })).rejects.toMatchObject({
      code: 'E_CONFIG', message: 'secret GITHUB_TOKEN has no value: set the environment variable GITHUB_TOKEN',
    });
    expect(bound.requests).toHaveLength(0);
  });

  it('does not substitute for a host that is refused before the request', async () => {
    const bound = await startServer(echo);
    const s = setup(bound, undefined);
    await expect(s.call({ url: `${bound.origin}/`, init: { headers: { authorization: s.token } } }, ['api.github.com'])).rejects.toThrow(
      'net: host 127.0.0.1 is not granted',
    );
    expect(bound.requests).toHaveLength(0);
  });
});
