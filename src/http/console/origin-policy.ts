const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '']);

function hostForUrl(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/**
 * Which `Host` and `Origin` values the console answers: the loopback names and the bound address at the listening
 * port, plus the configured origins. Checking Host defeats DNS rebinding (a foreign name resolving to 127.0.0.1);
 * checking Origin defeats cross-site requests and cross-site WebSockets.
 */
export class OriginPolicy {
  constructor(private readonly configured: readonly string[], private readonly bindHost: string) {}

  origins(port: number): string[] {
    const names = ['127.0.0.1', 'localhost', '[::1]'];
    if (!WILDCARD_HOSTS.has(this.bindHost)) names.push(hostForUrl(this.bindHost.toLowerCase()));
    const own = names.map((name) => new URL(`http://${name}:${port}`).origin);
    return [...new Set([...own, ...this.configured.map((o) => o.toLowerCase())])];
  }

  /** The allowed origin a `Host` header belongs to, or undefined. */
  originOfHost(host: string | undefined, port: number): string | undefined {
    if (!host) return undefined;
    const wanted = host.trim().toLowerCase();
    return this.origins(port).find((origin) => new URL(origin).host === wanted);
  }

  allowsOrigin(origin: string | undefined, port: number): boolean {
    return origin !== undefined && this.origins(port).includes(origin.trim().toLowerCase());
  }
}
