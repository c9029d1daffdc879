import { lookup } from 'node:dns/promises';

/** One address a name resolves to. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to ALL its addresses; replaceable so tests can play any DNS answer. */
export const DnsResolver = Symbol('DnsResolver');
export type DnsResolver = (host: string) => Promise<ResolvedAddress[]>;

/** The operating system's resolver (hosts file, then DNS), every address in the order it gave them. */
export const systemResolver: DnsResolver = async (host) => {
  const found = await lookup(host, { all: true, verbatim: true });
  return found.map((entry) => ({ address: entry.address, family: entry.family === 6 ? 6 : 4 }));
};
