import { OpsroomError } from '../../core/errors.js';
import { normalizeHost } from './normalize-host.js';

/** One entry of a host list (`api.github.com`, `*.example.com`, `host:8443`, `[::1]:4000`), parsed. */
export interface HostPattern {
  /** The canonical host, or for a wildcard the suffix after `*.`. */
  host: string;
  wildcard: boolean;
  isIp: boolean;
  port?: number;
  /** The entry as written, for messages. */
  source: string;
}

function bad(entry: string, why: string): never {
  throw new OpsroomError('E_CONFIG', `host entry ${JSON.stringify(entry)} is invalid: ${why}`);
}

function splitPort(entry: string): { host: string; port?: string } {
  if (entry.startsWith('[')) {
    const close = entry.indexOf(']');
    if (close < 0) bad(entry, 'an opening bracket without a closing one');
    const rest = entry.slice(close + 1);
    if (rest === '') return { host: entry };
    if (!rest.startsWith(':')) bad(entry, 'expected :port after the bracketed address');
    return { host: entry.slice(0, close + 1), port: rest.slice(1) };
  }
  const colons = entry.split(':').length - 1;
  // More than one colon without brackets is a bare IPv6 address, which cannot carry a port.
  if (colons !== 1) return { host: entry };
  const at = entry.indexOf(':');
  return { host: entry.slice(0, at), port: entry.slice(at + 1) };
}

function parsePort(entry: string, text: string): number {
  if (!/^[0-9]{1,5}$/.test(text)) bad(entry, `port ${JSON.stringify(text)} is not a number`);
  const port = Number(text);
  if (port < 1 || port > 65535) bad(entry, `port ${port} is outside 1-65535`);
  return port;
}

/** Parses a grant, binding or allowPrivate entry; throws E_CONFIG naming the entry when it is malformed. */
export function parseHostPattern(entry: string): HostPattern {
  if (typeof entry !== 'string' || entry.trim() === '') bad(String(entry), 'it is empty');
  if (entry.includes('://') || entry.includes('/')) bad(entry, 'write a host such as api.github.com, not a URL');
  const { host, port: portText } = splitPort(entry);
  const port = portText === undefined ? undefined : parsePort(entry, portText);
  const wildcard = host.startsWith('*.');
  const bare = wildcard ? host.slice(2) : host;
  if (bare.includes('*')) bad(entry, 'a wildcard is only allowed as the first label, as in *.example.com');
  let normalized;
  try {
    normalized = normalizeHost(bare);
  } catch (error) {
    bad(entry, error instanceof Error ? error.message.replace(/^net: /, '') : String(error));
  }
  if (wildcard && normalized.ipLiteral !== undefined) bad(entry, 'a wildcard cannot stand in front of an IP address');
  return { host: normalized.host, wildcard, isIp: normalized.ipLiteral !== undefined, ...(port === undefined ? {} : { port }), source: entry };
}

/** Does the pattern name this (normalized) host, ignoring ports? A wildcard matches subdomains only, never the bare suffix. */
export function patternMatchesHost(pattern: HostPattern, host: string, isIp: boolean): boolean {
  if (!pattern.wildcard) return pattern.host === host;
  return !isIp && host.endsWith(`.${pattern.host}`);
}

export function defaultPort(protocol: string): number {
  return protocol === 'https:' ? 443 : 80;
}

/** The port a URL connects to. */
export function effectivePort(url: URL): number {
  return url.port === '' ? defaultPort(url.protocol) : Number(url.port);
}

/** Does the pattern cover this URL's host and port (no port in the pattern: the scheme's default port only)? */
export function patternMatchesUrl(pattern: HostPattern, host: string, isIp: boolean, url: URL): boolean {
  if (!patternMatchesHost(pattern, host, isIp)) return false;
  const port = effectivePort(url);
  return pattern.port === undefined ? port === defaultPort(url.protocol) : pattern.port === port;
}
