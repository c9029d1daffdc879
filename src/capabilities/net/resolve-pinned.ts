import type { Deadline } from './deadline.js';
import type { DnsResolver, ResolvedAddress } from './dns-resolver.js';
import { classifyAddress, describeAddressClass } from './classify-address.js';
import { netDenied, netFailed } from './net-errors.js';
import { normalizeHost } from './normalize-host.js';
import { privateAllowed, type NetOptions } from './net-policy.js';

const ASK = 'ask the operator to allow it in net.allowPrivate';

function familyOf(address: string): 4 | 6 {
  return address.includes(':') ? 6 : 4;
}

function refuseUnlessPublic(address: string, subject: string): void {
  const cls = classifyAddress(address);
  if (cls !== 'public') throw netDenied(`net: ${subject} ${describeAddressClass(cls)}; ${ASK}`);
}

async function lookupAll(host: string, resolver: DnsResolver, deadline: Deadline): Promise<ResolvedAddress[]> {
  let found: ResolvedAddress[];
  try {
    found = await deadline.race(resolver(host));
  } catch (error) {
    if (deadline.expired) throw error;
    const code = (error as { code?: unknown }).code;
    throw netFailed(`net: ${host} could not be resolved${typeof code === 'string' ? ` (${code})` : ''}`);
  }
  if (!Array.isArray(found) || found.length === 0) throw netFailed(`net: ${host} could not be resolved (no addresses)`);
  return found;
}

function canonicalAddress(host: string, entry: ResolvedAddress): string {
  const literal = typeof entry?.address === 'string' ? safeLiteral(entry.address) : undefined;
  if (literal === undefined) throw netFailed(`net: the resolver answered ${JSON.stringify(entry?.address)} for ${host}, which is not an IP address`);
  return literal;
}

function safeLiteral(address: string): string | undefined {
  try {
    return normalizeHost(address).ipLiteral;
  } catch {
    return undefined;
  }
}

/** RFC 6761: `localhost` and every name under it is loopback, whatever a resolver answers. */
function isLocalhostName(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost');
}

/**
 * Resolves the URL's host once, refuses it if ANY address is not public (unless the
 * operator named the target in allowPrivate), and returns the address to pin the
 * connection to. IP literals are judged as written, without DNS.
 */
export async function resolvePinned(url: URL, options: NetOptions, resolver: DnsResolver, deadline: Deadline): Promise<ResolvedAddress> {
  const target = normalizeHost(url.hostname);
  const allowed = privateAllowed(options, url);
  if (target.ipLiteral !== undefined) {
    if (!allowed) refuseUnlessPublic(target.ipLiteral, `${target.host} is`);
    return { address: target.ipLiteral, family: familyOf(target.ipLiteral) };
  }
  if (!allowed && isLocalhostName(target.host)) throw netDenied(`net: ${target.host} is a loopback name; ${ASK}`);
  const addresses = (await lookupAll(target.host, resolver, deadline)).map((entry) => canonicalAddress(target.host, entry));
  if (!allowed) {
    for (const address of addresses) refuseUnlessPublic(address, `${target.host} resolves to ${address},`);
  }
  const first = addresses[0] as string;
  return { address: first, family: familyOf(first) };
}
