import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_NET_OPTIONS, type NetOptions } from '../../../src/capabilities/net/net-policy.js';
import { SafeFetch, type FetchRequest } from '../../../src/capabilities/net/safe-fetch.js';
import { SecretHandles } from '../../../src/capabilities/secrets/secret-handles.js';
import { SecretStoreImpl } from '../../../src/capabilities/secrets/secret-store.js';
import { recordingResolver } from '../../fakes/recording-resolver.js';
import { createTestLogger, type TestLogger } from '../../fakes/test-logger.js';
import { echo, startServer, type SeenRequest } from './loopback-server.js';

let logger: TestLogger;
afterEach(() => logger?.assertNoErrors());

function safeFetch(options: Partial<NetOptions>, resolver = recordingResolver({}).resolver): SafeFetch {
  logger = createTestLogger();
  return new SafeFetch({ ...DEFAULT_NET_OPTIONS, ...options }, logger, resolver);
}

const noSecrets = (url: string) => new SecretHandles('test', [], new SecretStoreImpl({}, {})).binderFor(new URL(url));
const run = (f: SafeFetch, hosts: string[], request: FetchRequest) => f.fetch({ hosts }, request, noSecrets(request.url));
const seenOf = (body: string) => JSON.parse(body) as SeenRequest;

describe('SafeFetch against loopback servers the operator allowed', () => {
  it('performs a GET and hands back status, headers and text; the server sees exactly the request', async () => {
    const server = await startServer(echo);
    const f = safeFetch({ allowPrivate: ['127.0.0.1'] });
    const res = await run(f, [`127.0.0.1:${server.port}`], { url: `${server.origin}/status?x=1&y=two`, init: { headers: { 'X-Trace': 'abc', Accept: 'application/json' } } });
    expect(res).toMatchObject({ status: 200, url: `${server.origin}/status?x=1&y=two`, redirected: false });
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['x-served-by']).toBe('loopback');
    const seen = server.requests[0] as SeenRequest;
    expect(server.requests).toHaveLength(1);
    expect(seen).toMatchObject({ method: 'GET', url: '/status?x=1&y=two', body: '' });
    expect(seen.headers).toMatchObject({ host: `127.0.0.1:${server.port}`, 'x-trace': 'abc', accept: 'application/json', 'user-agent': 'opsroom' });
    expect(seenOf(res.body)).toEqual(JSON.parse(JSON.stringify(seen)));
  });

  it('performs a POST with a body, framed by the host', async () => {
    const server = await startServer(echo);
    const f = safeFetch({ allowPrivate: ['127.0.0.1'] });
    const body = JSON.stringify({ ref: 'main', inputs: { env: 'prod', note: 'ünïcode' } });
    const res = await run(f, [`127.0.0.1:${server.port}`], { url: `${server.origin}/dispatch`, init: { method: 'post', headers: { 'content-type': 'application/json' }, body } });
    expect(res.status).toBe(200);
    expect(server.requests[0]).toMatchObject({
      method: 'POST', url: '/dispatch', body,
      headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
    });
  });

  it('refuses a loopback server the operator did not allow, before connecting', async () => {
    const server = await startServer(echo);
    const f = safeFetch({ allowPrivate: [] });
    await expect(run(f, [`127.0.0.1:${server.port}`], { url: `${server.origin}/` })).rejects.toMatchObject({
      name: 'CapabilityDenied', code: 'E_CAPABILITY_DENIED',
      message: 'net: 127.0.0.1 is a loopback address; ask the operator to allow it in net.allowPrivate',
    });
    for (const odd of [`http://0x7f.1:${server.port}/`, `http://2130706433:${server.port}/`, `http://[::ffff:127.0.0.1]:${server.port}/`]) {
      await expect(run(f, [`127.0.0.1:${server.port}`], { url: odd })).rejects.toThrow('net: 127.0.0.1 is a loopback address');
    }
    expect(server.requests).toHaveLength(0);
  });

  it('refuses a host or port that is not granted, and other schemes', async () => {
    const server = await startServer(echo);
    const f = safeFetch({ allowPrivate: ['127.0.0.1'] });
    await expect(run(f, ['api.github.com'], { url: `${server.origin}/` })).rejects.toThrow('net: host 127.0.0.1 is not granted (granted: api.github.com)');
    await expect(run(f, ['127.0.0.1:1'], { url: `${server.origin}/` })).rejects.toThrow(`net: port ${server.port} is not granted for 127.0.0.1`);
    await expect(run(f, ['127.0.0.1'], { url: 'file:///etc/passwd' })).rejects.toThrow('net: only http: and https: are allowed (got file:)');
    expect(server.requests).toHaveLength(0);
  });

  it('refuses a name when its DNS answer holds a private address', async () => {
    const dns = recordingResolver({ 'api.example.test': ['93.184.216.34', '10.0.0.7'] });
    const f = safeFetch({}, dns.resolver);
    await expect(run(f, ['api.example.test'], { url: 'https://api.example.test/' })).rejects.toThrow(
      'net: api.example.test resolves to 10.0.0.7, a private address; ask the operator to allow it in net.allowPrivate',
    );
  });

  it('pins the connection to the checked address, asking DNS once per hop', async () => {
    const server = await startServer((req, res, seen) => {
      if (seen.url === '/first') {
        res.writeHead(302, { location: '/second' });
        res.end();
        return;
      }
      echo(req, res, seen);
    }, '127.0.0.2');
    // Second answer differs: a resolver asked again at connect time would send the socket elsewhere.
    const dns = recordingResolver({ 'svc.example.test': [['127.0.0.2'], ['127.0.0.2'], ['10.9.9.9']] });
    const f = safeFetch({ allowPrivate: ['svc.example.test'] }, dns.resolver);
    const res = await run(f, [`svc.example.test:${server.port}`], { url: `http://svc.example.test:${server.port}/first` });
    expect(res).toMatchObject({ status: 200, redirected: true, url: `http://svc.example.test:${server.port}/second` });
    expect(dns.calls).toEqual(['svc.example.test', 'svc.example.test']);
    expect(server.requests.map((r) => [r.url, r.localAddress, r.headers.host])).toEqual([
      ['/first', '127.0.0.2', `svc.example.test:${server.port}`],
      ['/second', '127.0.0.2', `svc.example.test:${server.port}`],
    ]);
  });

  it('reports a refused connection', async () => {
    const server = await startServer(echo);
    const port = server.port + 1 === 65536 ? server.port - 1 : server.port + 1;
    const f = safeFetch({ allowPrivate: ['127.0.0.1'] });
    await expect(run(f, [`127.0.0.1:${port}`], { url: `http://127.0.0.1:${port}/` })).rejects.toMatchObject({
      name: 'NetworkError', code: 'E_NET', message: `net: 127.0.0.1:${port} refused the connection`,
    });
  });
});

describe('SafeFetch redirects', () => {
  it('follows a redirect to a granted host, as a GET after a POST 302', async () => {
    const target = await startServer(echo);
    const start = await startServer((_req, res) => {
      res.writeHead(302, { location: `${target.origin}/landed?from=start` });
      res.end();
    });
    const f = safeFetch({ allowPrivate: ['127.0.0.1'] });
    const res = await run(f, [`127.0.0.1:${start.port}`, `127.0.0.1:${target.port}`], {
      url: `${start.origin}/go`, init: { method: 'POST', headers: { 'content-type': 'text/plain', 'x-keep': '1' }, body: 'payload' },
    });
    expect(res).toMatchObject({ status: 200, redirected: true, url: `${target.origin}/landed?from=start` });
    const seen = target.requests[0] as SeenRequest;
    expect(seen).toMatchObject({ method: 'GET', url: '/landed?from=start', body: '' });
    expect(seen.headers['content-type']).toBeUndefined();
    expect(seen.headers['x-keep']).toBe('1');
  });

  it('keeps the method and body on a 307', async () => {
    const target = await startServer(echo);
    const start = await startServer((_req, res) => {
      res.writeHead(307, { location: `${target.origin}/again` });
      res.end();
    });
    const f = safeFetch({ allowPrivate: ['127.0.0.1'] });
    await run(f, [`127.0.0.1:${start.port}`, `127.0.0.1:${target.port}`], { url: `${start.origin}/`, init: { method: 'PUT', body: 'same body' } });
    expect(target.requests[0]).toMatchObject({ method: 'PUT', body: 'same body' });
  });

  it('refuses a redirect to a host that is not granted', async () => {
    const start = await startServer((_req, res) => {
      res.writeHead(301, { location: 'http://evil.example.test/steal' });
      res.end();
    });
    const dns = recordingResolver({ 'evil.example.test': ['93.184.216.34'] });
    const f = safeFetch({ allowPrivate: ['127.0.0.1'] }, dns.resolver);
    await expect(run(f, [`127.0.0.1:${start.port}`], { url: `${start.origin}/` })).rejects.toMatchObject({
      name: 'CapabilityDenied', message: `net: redirect to evil.example.test is not granted (granted: 127.0.0.1:${start.port})`,
    });
    expect(dns.calls).toEqual([]);
  });

  it('re-checks the address of every hop: a granted name that resolves privately is refused', async () => {
    const start = await startServer((_req, res) => {
      res.writeHead(302, { location: 'http://internal.example.test/' });
      res.end();
    });
    const dns = recordingResolver({ 'internal.example.test': ['10.0.0.7'] });
    const f = safeFetch({ allowPrivate: ['127.0.0.1'] }, dns.resolver);
    await expect(run(f, [`127.0.0.1:${start.port}`, 'internal.example.test'], { url: `${start.origin}/` }))
      .rejects.toThrow('net: internal.example.test resolves to 10.0.0.7, a private address');
  });

  it('refuses a redirect to another scheme or port', async () => {
    const start = await startServer((_req, res, seen) => {
      res.writeHead(302, { location: seen.url === '/file' ? 'file:///etc/passwd' : 'http://127.0.0.1:22/' });
      res.end();
    });
    const f = safeFetch({ allowPrivate: ['127.0.0.1'] });
    const hosts = [`127.0.0.1:${start.port}`];
    await expect(run(f, hosts, { url: `${start.origin}/file` })).rejects.toThrow('net: redirect to file:///etc/passwd: only http: and https: are allowed (got file:)');
    await expect(run(f, hosts, { url: `${start.origin}/port` })).rejects.toThrow('net: redirect to 127.0.0.1:22: port 22 is not granted for 127.0.0.1');
  });

  it('follows 5 redirects and refuses the 6th', async () => {
    const server = await startServer((req, res, seen) => {
      const n = Number(seen.url.slice(1));
      if (n >= Number(req.headers['x-stop'])) return echo(req, res, seen);
      res.writeHead(302, { location: `/${n + 1}` });
      res.end();
    });
    const f = safeFetch({ allowPrivate: ['127.0.0.1'] });
    const hosts = [`127.0.0.1:${server.port}`];
    const ok = await run(f, hosts, { url: `${server.origin}/0`, init: { headers: { 'x-stop': '5' } } });
    expect(ok).toMatchObject({ status: 200, redirected: true, url: `${server.origin}/5` });
    server.requests.length = 0;
    await expect(run(f, hosts, { url: `${server.origin}/0`, init: { headers: { 'x-stop': '6' } } })).rejects.toThrow('net: more than 5 redirects');
    expect(server.requests).toHaveLength(6);
  });
});

describe('SafeFetch limits', () => {
  it('refuses a request body over the cap without connecting', async () => {
    const server = await startServer(echo);
    const f = safeFetch({ allowPrivate: ['127.0.0.1'] });
    await expect(run(f, [`127.0.0.1:${server.port}`], { url: `${server.origin}/`, init: { method: 'POST', body: 'x'.repeat(2 * 1024 * 1024) } }))
      .rejects.toThrow('net: request body of 2 MiB exceeds the 1 MiB limit');
    expect(server.requests).toHaveLength(0);
  });

  it('stops a streamed response past the cap and closes the connection', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const pump = (): void => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    });
    const f = safeFetch({ allowPrivate: ['127.0.0.1'], maxResponseBytes: 256 * 1024 });
    await expect(run(f, [`127.0.0.1:${server.port}`], { url: `${server.origin}/` })).rejects.toMatchObject({
      name: 'CapabilityDenied', message: 'net: response exceeded 256 KiB and was stopped',
    });
    await server.abandoned;
  });

  it('refuses a response whose declared length is over the cap', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-length': String(6 * 1024 * 1024) });
      res.write('start');
    });
    const f = safeFetch({ allowPrivate: ['127.0.0.1'] });
    await expect(run(f, [`127.0.0.1:${server.port}`], { url: `${server.origin}/` })).rejects.toThrow('net: response exceeded 5 MiB and was stopped');
  });

  it('counts a compressed response after decompression, so a gzip bomb is stopped', async () => {
    const bomb = gzipSync(Buffer.alloc(20 * 1024 * 1024));
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': String(bomb.length) });
      res.end(bomb);
    });
    expect(bomb.length).toBeLessThan(64 * 1024);
    const f = safeFetch({ allowPrivate: ['127.0.0.1'] });
    await expect(run(f, [`127.0.0.1:${server.port}`], { url: `${server.origin}/` })).rejects.toThrow('net: response exceeded 5 MiB and was stopped');
  });

  it('gives up on a server that does not answer in time', async () => {
    const server = await startServer(() => undefined);
    const f = safeFetch({ allowPrivate: ['127.0.0.1'], timeoutMs: 300 });
    const started = Date.now();
    await expect(run(f, [`127.0.0.1:${server.port}`], { url: `${server.origin}/` })).rejects.toMatchObject({
      name: 'CapabilityDenied', message: 'net: 127.0.0.1 did not answer within 300 ms',
    });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('counts the time spent reading a slow body against the same deadline', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('partial');
    });
    const f = safeFetch({ allowPrivate: ['127.0.0.1'], timeoutMs: 300 });
    await expect(run(f, [`127.0.0.1:${server.port}`], { url: `${server.origin}/` })).rejects.toThrow('net: 127.0.0.1 did not answer within 300 ms');
  });
});
