import type { DnsResolver, ResolvedAddress } from '../../src/capabilities/net/dns-resolver.js';

export interface RecordingResolver {
  resolver: DnsResolver;
  /** Every name asked, in order. */
  calls: string[];
}

/**
 * A DNS that answers from a table, in order, and records every question. A list
 * of answers per name plays one answer per call (the last repeats), so a test can
 * stage a rebinding: a public address first, a private one afterwards.
 */
export function recordingResolver(table: Record<string, string[] | string[][]>): RecordingResolver {
  const calls: string[] = [];
  const resolver: DnsResolver = async (host) => {
    const asked = calls.filter((name) => name === host).length;
    calls.push(host);
    const entry = table[host];
    if (entry === undefined) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    const answers = (Array.isArray(entry[0]) ? entry : [entry]) as string[][];
    const answer = answers[Math.min(asked, answers.length - 1)] ?? [];
    return answer.map((address): ResolvedAddress => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return { resolver, calls };
}
