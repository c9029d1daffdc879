import { describe, expect, it } from 'vitest';
import { parseHostPattern } from '../../../../src/capabilities/net/host-pattern.js';
import { parseNetOptions } from '../../../../src/capabilities/net/net-options-schema.js';
import { checkGrant, DEFAULT_NET_OPTIONS, hostAllowed, privateAllowed } from '../../../../src/capabilities/net/net-policy.js';

const grant = (...hosts: string[]) => ({ hosts });
const url = (text: string) => new URL(text);

describe('hostAllowed', () => {
  it.each([
    [['api.github.com'], 'https://api.github.com/repos', true],
    [['api.github.com'], 'http://api.github.com/', true],
    [['api.github.com'], 'https://API.GITHUB.COM./x', true],
    [['api.github.com'], 'https://github.com/', false],
    [['api.github.com'], 'https://evil.api.github.com/', false],
    [['api.github.com'], 'https://api.github.com.evil.com/', false],
    [['api.github.com'], 'https://api.github.com:8443/', false],
    [['api.github.com'], 'http://api.github.com:443/', false],
    [['*.example.com'], 'https://a.example.com/', true],
    [['*.example.com'], 'https://a.b.example.com/', true],
    [['*.example.com'], 'https://example.com/', false],
    [['*.example.com'], 'https://badexample.com/', false],
    [['host.test:8443'], 'https://host.test:8443/', true],
    [['host.test:8443'], 'http://host.test:8443/', true],
    [['host.test:8443'], 'https://host.test/', false],
    [['127.0.0.1:4000'], 'http://127.0.0.1:4000/', true],
    [['127.0.0.1:4000'], 'http://0x7f.1:4000/', true],
    [['127.0.0.1:4000'], 'http://[::ffff:127.0.0.1]:4000/', true],
    [['127.0.0.1:4000'], 'http://127.0.0.1:4001/', false],
    [['[::1]:4000'], 'http://[::1]:4000/', true],
    [['*.example.com'], 'http://1.2.3.4/', false],
    [[], 'https://api.github.com/', false],
  ])('with %j, %s is %s', (hosts, target, expected) => {
    expect(hostAllowed(grant(...hosts), url(target))).toBe(expected);
  });
});

describe('checkGrant', () => {
  it('names the host and what is granted', () => {
    expect(checkGrant(grant('api.github.com'), url('https://evil.com/'))).toEqual({
      allowed: false, reason: 'host evil.com is not granted (granted: api.github.com)',
    });
  });

  it('says so when nothing is granted', () => {
    expect(checkGrant(grant(), url('https://evil.com/'))).toEqual({ allowed: false, reason: 'host evil.com is not granted (granted: none)' });
  });

  it('tells a wrong port from a wrong host', () => {
    expect(checkGrant(grant('api.github.com'), url('https://api.github.com:22/'))).toEqual({
      allowed: false, reason: 'port 22 is not granted for api.github.com',
    });
  });

  it('refuses every scheme but http and https', () => {
    for (const [target, scheme] of [['file:///etc/passwd', 'file:'], ['ftp://api.github.com/', 'ftp:'], ['gopher://api.github.com/', 'gopher:'], ['data:text/plain,x', 'data:']]) {
      expect(checkGrant(grant('api.github.com'), url(target as string))).toEqual({
        allowed: false, reason: `only http: and https: are allowed (got ${scheme})`,
      });
    }
  });

  it('words a refused redirect as one', () => {
    expect(checkGrant(grant('api.github.com'), url('https://evil.com/'), true)).toEqual({
      allowed: false, reason: 'redirect to evil.com is not granted (granted: api.github.com)',
    });
  });
});

describe('privateAllowed', () => {
  const options = { allowPrivate: ['127.0.0.1', 'localhost:4010', '10.0.0.5:8080'] };

  it.each([
    ['http://127.0.0.1:1234/', true],
    ['http://2130706433:80/', true],
    ['http://localhost:4010/', true],
    ['http://localhost.:4010/', true],
    ['http://localhost:4011/', false],
    ['http://10.0.0.5:8080/', true],
    ['http://10.0.0.5/', false],
    ['http://10.0.0.6:8080/', false],
    ['http://[::1]:1234/', false],
  ])('for %s is %s', (target, expected) => {
    expect(privateAllowed(options, url(target))).toBe(expected);
  });
});

describe('parseHostPattern', () => {
  it('reads hosts, wildcards, ports and bracketed IPv6', () => {
    expect(parseHostPattern('API.github.com')).toEqual({ host: 'api.github.com', wildcard: false, isIp: false, source: 'API.github.com' });
    expect(parseHostPattern('*.example.com:8443')).toMatchObject({ host: 'example.com', wildcard: true, port: 8443 });
    expect(parseHostPattern('[::1]:4000')).toMatchObject({ host: '::1', isIp: true, port: 4000 });
    expect(parseHostPattern('fd00::1')).toMatchObject({ host: 'fd00::1', isIp: true });
  });

  it.each([
    ['https://api.github.com', 'not a URL'],
    ['api.github.com/repos', 'not a URL'],
    ['*', 'only allowed as the first label'],
    ['a.*.com', 'only allowed as the first label'],
    ['*example.com', 'only allowed as the first label'],
    ['*.10.0.0.1', 'cannot stand in front of an IP address'],
    ['host:0', 'outside 1-65535'],
    ['host:65536', 'outside 1-65535'],
    ['host:http', 'is not a number'],
    ['[::1]x', 'expected :port'],
    ['', 'it is empty'],
  ])('refuses %j (%s)', (entry, why) => {
    expect(() => parseHostPattern(entry)).toThrow(why);
  });
});

describe('net options', () => {
  it('default to 1 MiB out, 5 MiB in, 10 s and 5 redirects, with no private target', () => {
    expect(DEFAULT_NET_OPTIONS).toEqual({ allowPrivate: [], maxRequestBytes: 1048576, maxResponseBytes: 5242880, timeoutMs: 10000, maxRedirects: 5 });
    expect(parseNetOptions(undefined)).toEqual(DEFAULT_NET_OPTIONS);
    expect(() => DEFAULT_NET_OPTIONS.allowPrivate.push('10.0.0.1')).toThrow();
  });

  it('list every problem of the config section', () => {
    expect(() => parseNetOptions({ allowPrivate: ['http://x'], timeoutMs: -1, extra: 1 })).toThrow(expect.objectContaining({
      problems: expect.arrayContaining([
        expect.stringContaining('net.allowPrivate[0]: host entry "http://x" is invalid'),
        expect.stringContaining('net.timeoutMs'),
        expect.stringContaining('unknown key "extra"'),
      ]),
    }));
  });
});
