import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { ResolvedAddress } from './dns-resolver.js';
import { normalizeHost } from './normalize-host.js';

/** A `lookup` that answers every question about `host` with the one checked address, and refuses any other name. */
export function pinnedLookup(host: string, pinned: ResolvedAddress): LookupFunction {
  return (hostname, options, callback) => {
    if (normalizeHost(hostname).host !== host) {
      callback(Object.assign(new Error(`pinned connection for ${host} was asked to resolve ${hostname}`), { code: 'EPINNED' }), '', 0);
      return;
    }
    // Newer Node versions (autoSelectFamily) ask for every address with `all: true` and expect an array.
    if (options.all === true) callback(null, [{ address: pinned.address, family: pinned.family }]);
    else callback(null, pinned.address, pinned.family);
  };
}

/**
 * A one-request agent whose sockets connect to the address that was checked,
 * whatever DNS says by the time the socket opens (no rebinding). The URL keeps
 * the name, so the Host header and TLS SNI/certificate checks still use it.
 */
export function pinnedAgent(protocol: string, host: string, pinned: ResolvedAddress): HttpAgent {
  const options = { keepAlive: false, lookup: pinnedLookup(host, pinned) };
  return protocol === 'https:' ? new HttpsAgent(options) : new HttpAgent(options);
}
