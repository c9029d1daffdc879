import { OpsroomError } from '../../core/errors.js';
import { embeddedIpv4, parseIpv4, parseIpv6 } from './ip-literal.js';
import { normalizeHost } from './normalize-host.js';

export type AddressClass =
  | 'public' | 'loopback' | 'private' | 'link-local' | 'cgnat' | 'multicast'
  | 'metadata' | 'unspecified' | 'reserved' | 'documentation';

type Range = [prefix: string, bits: number, cls: AddressClass];

// Most specific first: the first range that contains the address decides.
const V4_RANGES: Range[] = [
  ['0.0.0.0', 32, 'unspecified'],
  ['0.0.0.0', 8, 'reserved'],
  ['127.0.0.0', 8, 'loopback'],
  ['10.0.0.0', 8, 'private'],
  ['172.16.0.0', 12, 'private'],
  ['192.168.0.0', 16, 'private'],
  ['100.100.100.200', 32, 'metadata'], // Alibaba Cloud
  ['100.64.0.0', 10, 'cgnat'],
  ['169.254.169.254', 32, 'metadata'], // AWS, GCP, Azure, OpenStack, Oracle
  ['169.254.170.2', 32, 'metadata'], // AWS ECS task credentials
  ['169.254.0.0', 16, 'link-local'],
  ['192.0.0.192', 32, 'metadata'], // Oracle Cloud (legacy)
  ['192.0.0.0', 24, 'reserved'],
  ['192.0.2.0', 24, 'documentation'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['192.88.99.0', 24, 'reserved'],
  ['198.18.0.0', 15, 'reserved'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];

const V6_RANGES: Range[] = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['64:ff9b:1::', 48, 'private'],
  ['100::', 64, 'reserved'],
  ['2001:db8::', 32, 'documentation'],
  ['2001::', 23, 'reserved'],
  ['3fff::', 20, 'documentation'],
  ['5f00::', 16, 'reserved'],
  ['fd00:ec2::254', 128, 'metadata'], // AWS IMDS over IPv6
  ['fd20:ce::254', 128, 'metadata'], // GCP metadata over IPv6
  ['fc00::', 7, 'private'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'private'],
  ['ff00::', 8, 'multicast'],
  ['2000::', 3, 'public'],
];

function v6Value(groups: number[]): bigint {
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}

const V4_TABLE = V4_RANGES.map(([prefix, bits, cls]) => ({ base: parseIpv4(prefix) as number, bits, cls }));
const V6_TABLE = V6_RANGES.map(([prefix, bits, cls]) => ({ base: v6Value(parseIpv6(prefix) as number[]), bits: BigInt(bits), cls }));

function classifyV4(value: number): AddressClass {
  for (const { base, bits, cls } of V4_TABLE) {
    const size = 2 ** (32 - bits);
    if (Math.floor(value / size) === Math.floor(base / size)) return cls;
  }
  return 'public';
}

/** Transition prefixes that carry an IPv4 address reach whatever that address is. */
function embeddedV4(groups: number[]): number | undefined {
  const [g0, g1, g2, g3, g4, g5] = groups;
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return embeddedIpv4(groups); // NAT64
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0xffff && g5 === 0) return embeddedIpv4(groups); // SIIT
  if (g0 === 0x2002) return embeddedIpv4(groups, 1); // 6to4
  return undefined;
}

function classifyV6(groups: number[]): AddressClass {
  const v4 = embeddedV4(groups);
  if (v4 !== undefined) return classifyV4(v4);
  const value = v6Value(groups);
  for (const { base, bits, cls } of V6_TABLE) {
    const shift = 128n - bits;
    if (value >> shift === base >> shift) return cls;
  }
  // Outside 2000::/3 nothing is allocated for global unicast.
  return 'reserved';
}

/** What an IP address (any notation `normalizeHost` accepts) reaches; only `public` may be fetched without an operator's allowance. */
export function classifyAddress(ip: string): AddressClass {
  const literal = normalizeHost(ip).ipLiteral;
  if (literal === undefined) throw new OpsroomError('E_INTERNAL', `classifyAddress: ${JSON.stringify(ip)} is not an IP address`);
  const v4 = parseIpv4(literal);
  if (!literal.includes(':') && v4 !== undefined) return classifyV4(v4);
  return classifyV6(parseIpv6(literal) as number[]);
}

const DESCRIPTIONS: Record<AddressClass, string> = {
  public: 'a public address',
  loopback: 'a loopback address',
  private: 'a private address',
  'link-local': 'a link-local address',
  cgnat: 'a carrier-grade NAT (shared) address',
  multicast: 'a multicast address',
  metadata: 'a cloud metadata address',
  unspecified: 'the unspecified address',
  reserved: 'a reserved address',
  documentation: 'a documentation-only address',
};

/** "a private address", for messages. */
export function describeAddressClass(cls: AddressClass): string {
  return DESCRIPTIONS[cls];
}
