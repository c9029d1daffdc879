import { domainToASCII } from 'node:url';
import { netFailed } from './net-errors.js';
import { endsInNumber, formatIpv4, formatIpv6, parseIpv4, parseIpv6, unwrapIpv4 } from './ip-literal.js';

/** A host in one canonical spelling; `ipLiteral` is set when the host is an IP address. */
export interface NormalizedHost {
  host: string;
  ipLiteral?: string;
}

const MAX_HOST_LENGTH = 253;
const LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;

function invalid(host: string, why: string): never {
  throw netFailed(`net: ${JSON.stringify(host)} is not a valid host: ${why}`);
}

function ipv6Host(original: string, inner: string, bracketed: boolean): NormalizedHost {
  // Zone ids only scope link-local addresses to an interface; inside URL brackets `%25` introduces them (RFC 6874).
  const zoneAt = inner.indexOf('%');
  const address = zoneAt >= 0 ? inner.slice(0, zoneAt) : inner;
  const zone = bracketed ? /^25[a-z0-9_.~-]+$/ : /^[a-z0-9_.~-]+$/;
  if (zoneAt >= 0 && !zone.test(inner.slice(zoneAt + 1))) invalid(original, 'the zone id is malformed');
  const groups = parseIpv6(address);
  if (groups === undefined) invalid(original, 'not an IPv6 address');
  const v4 = unwrapIpv4(groups);
  const text = v4 === undefined ? formatIpv6(groups) : formatIpv4(v4);
  return { host: text, ipLiteral: text };
}

function domainHost(original: string, name: string): NormalizedHost {
  // Non-ASCII names are compared in their punycode form, as DNS and URL parsers see them.
  const ascii = /^[\x21-\x7e]*$/.test(name) ? name : domainToASCII(name);
  if (ascii === '') invalid(original, 'it is not a domain name');
  if (ascii.length > MAX_HOST_LENGTH) invalid(original, `longer than ${MAX_HOST_LENGTH} characters`);
  for (const label of ascii.split('.')) {
    if (label === '') invalid(original, 'it has an empty label');
    if (!LABEL.test(label)) invalid(original, `the label ${JSON.stringify(label)} is not a DNS label`);
  }
  return { host: ascii };
}

/**
 * Lower-cases a host, strips one trailing dot and decodes every IP notation
 * (decimal, octal, hex and short IPv4; bracketed IPv6 with or without a zone id;
 * IPv4-mapped and -compatible IPv6 become their IPv4 address). Throws on a host
 * that is neither a domain name nor an IP address.
 */
export function normalizeHost(host: string): NormalizedHost {
  if (typeof host !== 'string' || host === '') invalid(String(host), 'it is empty');
  const lower = host.toLowerCase();
  if (lower.startsWith('[')) {
    if (!lower.endsWith(']')) invalid(host, 'an opening bracket without a closing one');
    return ipv6Host(host, lower.slice(1, -1), true);
  }
  if (lower.includes(':')) return ipv6Host(host, lower, false);
  const name = lower.endsWith('.') && lower.length > 1 ? lower.slice(0, -1) : lower;
  if (endsInNumber(name)) {
    const value = parseIpv4(name);
    if (value === undefined) invalid(host, 'it looks like an IPv4 address but is not one');
    const text = formatIpv4(value);
    return { host: text, ipLiteral: text };
  }
  return domainHost(host, name);
}
