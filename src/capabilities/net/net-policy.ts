import { allow, deny, type Decision } from '../../core/decision.js';
import { defaultPort, effectivePort, parseHostPattern, patternMatchesHost, type HostPattern } from './host-pattern.js';
import { normalizeHost } from './normalize-host.js';

export { normalizeHost, type NormalizedHost } from './normalize-host.js';
export { classifyAddress, describeAddressClass, type AddressClass } from './classify-address.js';

/** The hosts one plugin was granted: `api.github.com`, `*.example.com`, `host:8443`, `127.0.0.1:4000`. */
export interface NetGrant {
  hosts: string[];
}

/** Operator settings of the network capability (config section `net`). */
export const NetOptions = Symbol('NetOptions');
export interface NetOptions {
  /** Private targets the operator allows anyway: `127.0.0.1`, `localhost:4010`, `10.0.0.5:8080`; no port means any port. */
  allowPrivate: string[];
  maxRequestBytes: number;
  maxResponseBytes: number;
  timeoutMs: number;
  maxRedirects: number;
}

// Frozen down to the list: a push onto the shared default would open private targets for everyone.
export const DEFAULT_NET_OPTIONS: NetOptions = Object.freeze({
  allowPrivate: Object.freeze([]) as unknown as string[],
  maxRequestBytes: 1024 * 1024,
  maxResponseBytes: 5 * 1024 * 1024,
  timeoutMs: 10_000,
  maxRedirects: 5,
});

function describeGranted(grant: NetGrant): string {
  return grant.hosts.length === 0 ? 'none' : grant.hosts.join(', ');
}

/**
 * Is this URL's scheme, host and port granted? Without a port in the grant only
 * the scheme's default port is; with one, only that port is. `redirect` words the
 * reason for a Location the host was sent to rather than one the plugin asked for.
 */
export function checkGrant(grant: NetGrant, url: URL, redirect = false): Decision {
  const subject = redirect ? `redirect to ${url.host || url.href}: ` : '';
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return deny(`${subject}only http: and https: are allowed (got ${url.protocol})`);
  }
  const target = normalizeHost(url.hostname);
  const isIp = target.ipLiteral !== undefined;
  const patterns = grant.hosts.map(parseHostPattern).filter((p) => patternMatchesHost(p, target.host, isIp));
  if (patterns.length === 0) {
    const what = redirect ? `redirect to ${target.host}` : `host ${target.host}`;
    return deny(`${what} is not granted (granted: ${describeGranted(grant)})`);
  }
  const port = effectivePort(url);
  const portOk = (p: HostPattern): boolean => (p.port === undefined ? port === defaultPort(url.protocol) : p.port === port);
  if (!patterns.some(portOk)) return deny(`${subject}port ${port} is not granted for ${target.host}`);
  return allow;
}

/** Is the URL's scheme, host and port granted? */
export function hostAllowed(grant: NetGrant, url: URL): boolean {
  return checkGrant(grant, url).allowed;
}

/** Did the operator name this target in `allowPrivate`, so it may reach a non-public address? */
export function privateAllowed(options: Pick<NetOptions, 'allowPrivate'>, url: URL): boolean {
  const target = normalizeHost(url.hostname);
  const isIp = target.ipLiteral !== undefined;
  const port = effectivePort(url);
  return options.allowPrivate.map(parseHostPattern)
    .some((p) => patternMatchesHost(p, target.host, isIp) && (p.port === undefined || p.port === port));
}
