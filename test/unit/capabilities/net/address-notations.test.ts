import { describe, expect, it } from 'vitest';
import { classifyAddress, normalizeHost, type AddressClass } from '../../../../src/capabilities/net/net-policy.js';

// [written as, canonical host, what it reaches]
const NOTATIONS: Array<[string, string, AddressClass]> = [
  ['127.0.0.1', '127.0.0.1', 'loopback'],
  ['0177.0.0.1', '127.0.0.1', 'loopback'],
  ['0x7f000001', '127.0.0.1', 'loopback'],
  ['0x7F.0.0.1', '127.0.0.1', 'loopback'],
  ['127.000.000.001', '127.0.0.1', 'loopback'],
  ['2130706433', '127.0.0.1', 'loopback'],
  ['017700000001', '127.0.0.1', 'loopback'],
  ['0x7f.1', '127.0.0.1', 'loopback'],
  ['127.1', '127.0.0.1', 'loopback'],
  ['127.0.1', '127.0.0.1', 'loopback'],
  ['127.0.0.1.', '127.0.0.1', 'loopback'],
  ['127.255.255.254', '127.255.255.254', 'loopback'],
  ['[::1]', '::1', 'loopback'],
  ['::1', '::1', 'loopback'],
  ['[0:0:0:0:0:0:0:1]', '::1', 'loopback'],
  ['[::ffff:127.0.0.1]', '127.0.0.1', 'loopback'],
  ['[::ffff:7f00:1]', '127.0.0.1', 'loopback'],
  ['::ffff:7f00:1', '127.0.0.1', 'loopback'],
  ['[::127.0.0.1]', '127.0.0.1', 'loopback'],
  ['[::ffff:0:7f00:1]', '::ffff:0:7f00:1', 'loopback'],
  ['10.0.0.7', '10.0.0.7', 'private'],
  ['012.0.0.7', '10.0.0.7', 'private'],
  ['167772167', '10.0.0.7', 'private'],
  ['172.16.0.1', '172.16.0.1', 'private'],
  ['172.31.255.255', '172.31.255.255', 'private'],
  ['192.168.1.1', '192.168.1.1', 'private'],
  ['0xc0.0xa8.1.1', '192.168.1.1', 'private'],
  ['[::ffff:10.0.0.7]', '10.0.0.7', 'private'],
  ['fd00::1', 'fd00::1', 'private'],
  ['[FC00::1]', 'fc00::1', 'private'],
  ['[64:ff9b::a00:7]', '64:ff9b::a00:7', 'private'],
  ['[2002:c0a8:101::]', '2002:c0a8:101::', 'private'],
  ['169.254.169.254', '169.254.169.254', 'metadata'],
  ['0xa9fea9fe', '169.254.169.254', 'metadata'],
  ['2852039166', '169.254.169.254', 'metadata'],
  ['[::ffff:169.254.169.254]', '169.254.169.254', 'metadata'],
  ['[::ffff:a9fe:a9fe]', '169.254.169.254', 'metadata'],
  ['169.254.170.2', '169.254.170.2', 'metadata'],
  ['100.100.100.200', '100.100.100.200', 'metadata'],
  ['[fd00:ec2::254]', 'fd00:ec2::254', 'metadata'],
  ['169.254.1.1', '169.254.1.1', 'link-local'],
  ['[fe80::1]', 'fe80::1', 'link-local'],
  ['[fe80::1%25eth0]', 'fe80::1', 'link-local'],
  ['fe80::1%eth0', 'fe80::1', 'link-local'],
  ['100.64.0.1', '100.64.0.1', 'cgnat'],
  ['100.127.255.255', '100.127.255.255', 'cgnat'],
  ['224.0.0.1', '224.0.0.1', 'multicast'],
  ['239.255.255.250', '239.255.255.250', 'multicast'],
  ['[ff02::1]', 'ff02::1', 'multicast'],
  ['0.0.0.0', '0.0.0.0', 'unspecified'],
  ['0', '0.0.0.0', 'unspecified'],
  ['[::]', '::', 'unspecified'],
  ['0.1.2.3', '0.1.2.3', 'reserved'],
  ['240.0.0.1', '240.0.0.1', 'reserved'],
  ['255.255.255.255', '255.255.255.255', 'reserved'],
  ['198.18.0.1', '198.18.0.1', 'reserved'],
  ['[2001::1]', '2001::1', 'reserved'],
  ['[100::1]', '100::1', 'reserved'],
  ['192.0.2.1', '192.0.2.1', 'documentation'],
  ['203.0.113.9', '203.0.113.9', 'documentation'],
  ['[2001:db8::1]', '2001:db8::1', 'documentation'],
  ['8.8.8.8', '8.8.8.8', 'public'],
  ['134744072', '8.8.8.8', 'public'],
  ['100.63.255.255', '100.63.255.255', 'public'],
  ['172.32.0.1', '172.32.0.1', 'public'],
  ['[2606:4700:4700::1111]', '2606:4700:4700::1111', 'public'],
  ['[::ffff:8.8.8.8]', '8.8.8.8', 'public'],
  ['[64:ff9b::808:808]', '64:ff9b::808:808', 'public'],
];

describe('normalizeHost and classifyAddress', () => {
  it.each(NOTATIONS)('reads %s as %s, a %s address', (written, canonical, cls) => {
    const normalized = normalizeHost(written);
    expect(normalized).toEqual({ host: canonical, ipLiteral: canonical });
    expect(classifyAddress(written)).toBe(cls);
  });

  it('covers every address class in the table', () => {
    const classes = new Set(NOTATIONS.map(([, , cls]) => cls));
    expect([...classes].sort()).toEqual(['cgnat', 'documentation', 'link-local', 'loopback', 'metadata', 'multicast', 'private', 'public', 'reserved', 'unspecified']);
  });
});

describe('normalizeHost', () => {
  it.each([
    ['localhost.', 'localhost'],
    ['API.GitHub.com.', 'api.github.com'],
    ['metadata.google.internal', 'metadata.google.internal'],
    ['bücher.de', 'xn--bcher-kva.de'],
    ['my_service.internal', 'my_service.internal'],
  ])('keeps the name %s as %s, without an IP literal', (written, host) => {
    expect(normalizeHost(written)).toEqual({ host });
  });

  it.each([
    ['256.1.1.1', 'looks like an IPv4 address but is not one'],
    ['1.2.3.4.5', 'looks like an IPv4 address but is not one'],
    ['08.0.0.1', 'looks like an IPv4 address but is not one'],
    ['4294967296', 'looks like an IPv4 address but is not one'],
    ['0x100000000', 'looks like an IPv4 address but is not one'],
    ['a..b', 'empty label'],
    ['example.com..', 'empty label'],
    ['[::1', 'opening bracket without a closing one'],
    ['::g', 'not an IPv6 address'],
    ['[fe80::1%25]', 'zone id is malformed'],
    ['[fe80::1%eth0]', 'zone id is malformed'],
    ['-a.com', 'is not a DNS label'],
    ['a b.com', 'is not a domain name'],
    ['', 'it is empty'],
  ])('refuses %j: %s', (written, why) => {
    expect(() => normalizeHost(written)).toThrow(why);
  });

  it('agrees with the WHATWG URL parser on odd IPv4 forms', () => {
    for (const written of ['0177.0.0.1', '0x7f000001', '127.1', '0x7f.1', '017700000001', '2130706433', '127.000.000.001']) {
      expect(normalizeHost(written).host).toBe(new URL(`http://${written}/`).hostname);
    }
  });
});

describe('classifyAddress', () => {
  it('refuses to classify a name', () => {
    expect(() => classifyAddress('example.com')).toThrow('is not an IP address');
  });
});
