import { describeGrant, requestedGrants } from '../plugin-grants.js';
import type { PluginCapabilities } from '../plugin-manifest.js';

/** One capability a plugin asks for, in plain words: `net:api.github.com` is "send HTTP requests to api.github.com". */
export interface Ask {
  grant: string;
  words: string;
}

/** What an upgrade changes in what the plugin asks for. */
export interface CapabilityDiff {
  added: Ask[];
  removed: Ask[];
  /** Same grant, different meaning (a secret sent to other hosts, a larger storage quota): the old grant is revoked. */
  changed: Array<Ask & { was: string }>;
  kept: Ask[];
}

export function asksOf(capabilities: PluginCapabilities, plugin: string): Ask[] {
  return requestedGrants(capabilities).map((grant) => ({ grant, words: describeGrant(grant, capabilities).replace('<plugin>', plugin) }));
}

export function capabilityDiff(before: PluginCapabilities, after: PluginCapabilities, plugin: string): CapabilityDiff {
  const old = new Map(asksOf(before, plugin).map((a) => [a.grant, a.words]));
  const now = asksOf(after, plugin);
  const diff: CapabilityDiff = { added: [], removed: [], changed: [], kept: [] };
  for (const ask of now) {
    const was = old.get(ask.grant);
    if (was === undefined) diff.added.push(ask);
    else if (was !== ask.words) diff.changed.push({ ...ask, was });
    else diff.kept.push(ask);
  }
  const current = new Set(now.map((a) => a.grant));
  for (const [grant, words] of old) if (!current.has(grant)) diff.removed.push({ grant, words });
  return diff;
}
