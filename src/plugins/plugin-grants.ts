import type { PluginCapabilities } from './plugin-manifest.js';

/** What a plugin may actually do: the intersection of what it asks for and what was granted. */
export interface EffectiveGrants {
  net: string[];
  secrets: Array<{ name: string; hosts: string[] }>;
  storage: { quotaKb: number } | undefined;
  post: string[];
  runbooks: string[];
  webhook: boolean;
  schedule: boolean;
}

export interface GrantChange {
  grant: string;
  state: 'granted' | 'revoked';
}

const DEFAULT_QUOTA_KB = 256;

/** Every grant a manifest asks for, as grant strings (`net:api.github.com`, `secrets:GITHUB_TOKEN`, `storage`...). */
export function requestedGrants(capabilities: PluginCapabilities): string[] {
  return [
    ...(capabilities.net ?? []).map((host) => `net:${host}`),
    ...Object.keys(capabilities.secrets ?? {}).map((name) => `secrets:${name}`),
    ...(capabilities.storage ? ['storage'] : []),
    ...(capabilities.post ?? []).map((alias) => `post:${alias}`),
    ...(capabilities.runbooks ?? []).map((name) => `runbooks:${name}`),
    ...(capabilities.webhook ? ['webhook'] : []),
    ...(capabilities.schedule ? ['schedule'] : []),
  ];
}

/**
 * Whether a grant string may be granted to a plugin that asks for these capabilities. A plugin that asks for
 * `net: ["*"]` (hosts the operator chooses, e.g. the status plugin) can be granted specific hosts, never `*` by
 * "all"; a request for `*.example.com` covers its subdomains.
 */
export function isGrantable(capabilities: PluginCapabilities, grant: string): boolean {
  if (!grant.startsWith('net:')) return requestedGrants(capabilities).includes(grant);
  const wanted = grant.slice(4).toLowerCase();
  return (capabilities.net ?? []).some((requested) => covers(requested.toLowerCase(), wanted));
}

function covers(requested: string, granted: string): boolean {
  if (requested === '*') return granted !== '*';
  if (requested === granted) return true;
  const [reqHost, reqPort] = splitPort(requested);
  const [host, port] = splitPort(granted);
  if (reqPort !== port) return false;
  return reqHost.startsWith('*.') && (host.endsWith(reqHost.slice(1)) && host.length > reqHost.length - 1);
}

function splitPort(pattern: string): [string, string | undefined] {
  const match = /^(.*):(\d+)$/.exec(pattern);
  return match ? [match[1] as string, match[2]] : [pattern, undefined];
}

/** The grant strings in force: the config seed, then the database's grants and revocations on top. */
export function grantedSet(capabilities: PluginCapabilities, seed: 'all' | string[] | undefined, changes: GrantChange[]): Set<string> {
  const granted = new Set<string>();
  const seeded = seed === 'all' ? requestedGrants(capabilities).filter((g) => g !== 'net:*') : seed ?? [];
  for (const grant of seeded) if (isGrantable(capabilities, grant)) granted.add(grant);
  for (const change of changes) {
    if (change.state === 'revoked') granted.delete(change.grant);
    else if (isGrantable(capabilities, change.grant)) granted.add(change.grant);
  }
  return granted;
}

export function effectiveGrants(capabilities: PluginCapabilities, granted: ReadonlySet<string>): EffectiveGrants {
  const net = [...granted].filter((g) => g.startsWith('net:')).map((g) => g.slice(4));
  return {
    net,
    // A secret travels only to hosts it is bound to AND the plugin may reach.
    secrets: Object.entries(capabilities.secrets ?? {})
      .filter(([name]) => granted.has(`secrets:${name}`))
      .map(([name, hosts]) => ({ name, hosts })),
    storage: granted.has('storage') ? { quotaKb: capabilities.storage?.quotaKb ?? DEFAULT_QUOTA_KB } : undefined,
    post: (capabilities.post ?? []).filter((alias) => granted.has(`post:${alias}`)),
    runbooks: (capabilities.runbooks ?? []).filter((name) => granted.has(`runbooks:${name}`)),
    webhook: granted.has('webhook'),
    schedule: granted.has('schedule'),
  };
}

/** A grant string in plain words, for `plugin info` and install consent. */
export function describeGrant(grant: string, capabilities: PluginCapabilities): string {
  const [kind, ...rest] = grant.split(':');
  const value = rest.join(':');
  switch (kind) {
    case 'net': return value === '*' ? 'send HTTP requests to hosts the operator names' : `send HTTP requests to ${value}`;
    case 'secrets': return `send secret ${value} to ${(capabilities.secrets?.[value] ?? []).join(', ')}`;
    case 'storage': return `keep up to ${capabilities.storage?.quotaKb ?? DEFAULT_QUOTA_KB} KB of its own data`;
    case 'post': return `post to the ${value} channel`;
    case 'runbooks': return `run the operator's runbook ${value}`;
    case 'webhook': return 'receive webhooks at /hooks/<plugin>';
    case 'schedule': return 'run on a schedule';
    default: return grant;
  }
}
