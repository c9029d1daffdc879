import { afterEach, describe, expect, it } from 'vitest';
import { Deadline } from '../../../../src/capabilities/net/deadline.js';
import { DEFAULT_NET_OPTIONS, type NetOptions } from '../../../../src/capabilities/net/net-policy.js';
import { resolvePinned } from '../../../../src/capabilities/net/resolve-pinned.js';
import { recordingResolver } from '../../../fakes/recording-resolver.js';

const deadlines: Deadline[] = [];
afterEach(() => {
  deadlines.splice(0).forEach((d) => d.clear());
});

function deadline(ms = 5000): Deadline {
  const d = new Deadline(ms);
  deadlines.push(d);
  return d;
}

const options = (allowPrivate: string[] = []): NetOptions => ({ ...DEFAULT_NET_OPTIONS, allowPrivate });

describe('resolvePinned', () => {
  it('pins the first address when every address is public', async () => {
    const dns = recordingResolver({ 'api.example.com': ['93.184.216.34', '2606:2800:220:1::'] });
    await expect(resolvePinned(new URL('https://api.example.com/'), options(), dns.resolver, deadline()))
      .resolves.toEqual({ address: '93.184.216.34', family: 4 });
    expect(dns.calls).toEqual(['api.example.com']);
  });

  it('refuses a name when ANY of its addresses is private', async () => {
    const dns = recordingResolver({ 'api.example.com': ['93.184.216.34', '10.0.0.7'] });
    await expect(resolvePinned(new URL('https://api.example.com/'), options(), dns.resolver, deadline())).rejects.toThrow(
      'net: api.example.com resolves to 10.0.0.7, a private address; ask the operator to allow it in net.allowPrivate',
    );
  });

  it('refuses a metadata name that resolves to the metadata address', async () => {
    const dns = recordingResolver({ 'metadata.google.internal': ['169.254.169.254'] });
    await expect(resolvePinned(new URL('http://metadata.google.internal/computeMetadata/v1/'), options(), dns.resolver, deadline()))
      .rejects.toMatchObject({ name: 'CapabilityDenied', code: 'E_CAPABILITY_DENIED', message: expect.stringContaining('169.254.169.254, a cloud metadata address') });
  });

  it('judges an IPv4-mapped answer as the IPv4 address it carries', async () => {
    const dns = recordingResolver({ 'sneaky.example.com': ['::ffff:127.0.0.1'] });
    await expect(resolvePinned(new URL('https://sneaky.example.com/'), options(), dns.resolver, deadline()))
      .rejects.toThrow('resolves to 127.0.0.1, a loopback address');
  });

  it('refuses localhost. by name, without asking DNS', async () => {
    const dns = recordingResolver({ localhost: ['93.184.216.34'] });
    await expect(resolvePinned(new URL('http://localhost./'), options(), dns.resolver, deadline()))
      .rejects.toThrow('net: localhost is a loopback name; ask the operator to allow it in net.allowPrivate');
    expect(dns.calls).toEqual([]);
  });

  it('judges an IP literal as written, without DNS', async () => {
    const dns = recordingResolver({});
    await expect(resolvePinned(new URL('http://0x7f.1:8080/'), options(), dns.resolver, deadline()))
      .rejects.toThrow('net: 127.0.0.1 is a loopback address');
    await expect(resolvePinned(new URL('http://[::ffff:a9fe:a9fe]/'), options(), dns.resolver, deadline()))
      .rejects.toThrow('net: 169.254.169.254 is a cloud metadata address');
    expect(dns.calls).toEqual([]);
  });

  it('lets an operator-named target reach its private address, on the named port only', async () => {
    const dns = recordingResolver({ 'db.internal': ['10.0.0.5'] });
    await expect(resolvePinned(new URL('http://db.internal:8080/'), options(['db.internal:8080']), dns.resolver, deadline()))
      .resolves.toEqual({ address: '10.0.0.5', family: 4 });
    await expect(resolvePinned(new URL('http://db.internal:9090/'), options(['db.internal:8080']), dns.resolver, deadline()))
      .rejects.toThrow('a private address');
  });

  it('does not let an allowed IP stand in for a name that resolves to it', async () => {
    const dns = recordingResolver({ 'attacker.example.com': ['127.0.0.1'] });
    await expect(resolvePinned(new URL('http://attacker.example.com/'), options(['127.0.0.1']), dns.resolver, deadline()))
      .rejects.toThrow('resolves to 127.0.0.1, a loopback address');
  });

  it('reports a name that does not resolve', async () => {
    const dns = recordingResolver({ 'empty.example.com': [] });
    await expect(resolvePinned(new URL('https://nowhere.example.com/'), options(), dns.resolver, deadline()))
      .rejects.toMatchObject({ code: 'E_NET', message: 'net: nowhere.example.com could not be resolved (ENOTFOUND)' });
    await expect(resolvePinned(new URL('https://empty.example.com/'), options(), dns.resolver, deadline()))
      .rejects.toThrow('net: empty.example.com could not be resolved (no addresses)');
  });

  it('refuses a resolver answer that is not an address', async () => {
    const dns = recordingResolver({ 'odd.example.com': ['not-an-ip'] });
    await expect(resolvePinned(new URL('https://odd.example.com/'), options(), dns.resolver, deadline()))
      .rejects.toThrow('the resolver answered "not-an-ip" for odd.example.com, which is not an IP address');
  });

  it('gives up on a resolver that never answers once the deadline passes', async () => {
    const d = deadline(50);
    const never = () => new Promise<never>(() => undefined);
    await expect(resolvePinned(new URL('https://slow.example.com/'), options(), never, d)).rejects.toThrow('deadline passed');
    expect(d.expired).toBe(true);
  });
});
