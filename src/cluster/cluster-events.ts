import type { ConversationReference } from '../core/chat-adapter.js';
import type { Platform } from '../core/identity.js';

/** What one instance tells every other instance of the cluster. */
export type ClusterEvent =
  /** Roles or identity links changed in the database: reload the RBAC cache. */
  | { kind: 'rbac.changed' }
  /** A plugin was granted, revoked, enabled, disabled or reloaded (`reload`), installed (`add`) or removed (`remove`). */
  | { kind: 'plugins.changed'; op: 'reload'; name: string }
  | { kind: 'plugins.changed'; op: 'add'; dir: string }
  | { kind: 'plugins.changed'; op: 'remove'; name: string }
  /** A worker published the commands and plugin states it loaded. */
  | { kind: 'catalog.changed' }
  /** The configuration was reloaded on one instance: every instance reloads its own. */
  | { kind: 'config.reload' }
  /** A gateway captured a conversation reference (Teams), so the others can post there without a restart. */
  | { kind: 'reference.captured'; platform: Platform; reference: ConversationReference };

export type ClusterEventKind = ClusterEvent['kind'];
export type ClusterEventOf<K extends ClusterEventKind> = Extract<ClusterEvent, { kind: K }>;

const KINDS: ReadonlySet<string> = new Set<ClusterEventKind>([
  'rbac.changed', 'plugins.changed', 'catalog.changed', 'config.reload', 'reference.captured',
]);

/** The event inside a message from the channel, or undefined when it is not one this version understands. */
export function readClusterEvent(value: unknown): ClusterEvent | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const kind = (value as { kind?: unknown }).kind;
  return typeof kind === 'string' && KINDS.has(kind) ? (value as ClusterEvent) : undefined;
}
