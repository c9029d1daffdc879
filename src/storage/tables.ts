/**
 * The kysely table interfaces, one per table, in snake_case as stored.
 * Portable on SQLite and PostgreSQL: ids and ISO-8601 timestamps are text, JSON is text,
 * and bigint columns come back as numbers on both (see the pg type parser in open-postgres.ts).
 */

/** One entry of the hash-chained audit log; `seq` is 1, 2, 3... with no gaps. */
export interface AuditLogTable {
  seq: number;
  at: string;
  action: string;
  actor: string;
  platform: string | null;
  channel: string | null;
  command: string | null;
  /** Canonical JSON of an object, or null. */
  args: string | null;
  outcome: string | null;
  duration_ms: number | null;
  invocation_id: string | null;
  /** Canonical JSON of an object, or null. */
  detail: string | null;
  prev_hash: string;
  hash: string;
}

/** A command somebody typed that does not exist: an automation request. */
export interface WishlistRequestsTable {
  id: string;
  command: string;
  actor_id: string;
  actor_name: string;
  platform: string;
  channel_id: string;
  text: string;
  requested_at: string;
  closed_at: string | null;
}

/** Platform event ids already handled, to drop duplicate deliveries. */
export interface InboundEventsTable {
  platform: string;
  event_id: string;
  received_at: string;
}

/** An admin's decision on one grant of a plugin, laid over the config seed; `grant` is e.g. `net:api.github.com`. */
export interface PluginGrantsTable {
  plugin: string;
  grant: string;
  state: 'granted' | 'revoked';
  plugin_version: string;
  actor: string;
  at: string;
}

/** Whether an admin enabled or disabled a plugin; `enabled` is 0 or 1. */
export interface PluginStateTable {
  plugin: string;
  enabled: number;
  actor: string;
  at: string;
}

/** One key of a plugin's key/value store; `value` is JSON, `size_bytes` counts key and value in UTF-8. */
export interface PluginKvTable {
  plugin: string;
  key: string;
  value: string;
  size_bytes: number;
  updated_at: string;
}

/** A plugin's cron schedule; a tick is claimed by moving `next_at` on from the value the claimer read. */
export interface PluginSchedulesTable {
  plugin: string;
  name: string;
  cron: string;
  created_at: string;
  last_fired_at: string | null;
  next_at: string;
  lease_owner: string | null;
  lease_until: string | null;
}

/** An admin's last decision on one role of one principal, laid over the config seed. */
export interface RbacRoleChangesTable {
  principal: string;
  role: string;
  state: 'granted' | 'revoked';
  changed_by: string;
  changed_at: string;
}

/** Two identities of one person (stored once, `principal_a` < `principal_b`). */
export interface RbacLinksTable {
  principal_a: string;
  principal_b: string;
  linked_by: string;
  linked_at: string;
}

/** A one-time link code, stored only as its sha256; `used_at` is set once, when it is redeemed. */
export interface RbacLinkCodesTable {
  code_hash: string;
  principal: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  used_by: string | null;
}

/** A request to run a frozen invocation once enough eligible people approved it; `frozen` is canonical JSON. */
export interface ApprovalRequestsTable {
  id: string;
  state: 'pending' | 'approved' | 'running' | 'succeeded' | 'failed' | 'denied' | 'expired' | 'cancelled';
  platform: string;
  channel_id: string;
  thread_id: string | null;
  /** The platform message that carries the request; only reactions and actions on it count. */
  message_id: string | null;
  requester_id: string;
  requester_name: string;
  command: string;
  plugin: string;
  text: string;
  frozen: string;
  frozen_hash: string;
  fingerprint: string;
  /** JSON of the policy that applied at request time. */
  policy: string;
  required_approvals: number;
  created_at: string;
  expires_at: string;
  decided_at: string | null;
  decided_by: string | null;
  ended_at: string | null;
  reason: string | null;
}

/** One person's standing decision on a request; removing a reaction deletes the row. */
export interface ApprovalVotesTable {
  request_id: string;
  voter_id: string;
  voter_name: string;
  vote: 'approve' | 'deny';
  via: string;
  at: string;
}

/** A webhook delivery id taken by one plugin: processing, done, or failed (a failed one may be delivered again). */
export interface WebhookDeliveriesTable {
  plugin: string;
  delivery_id: string;
  state: 'processing' | 'done' | 'failed';
  received_at: string;
}

/** A conversation reference an adapter handed over, as JSON text, so posts work after a restart. */
export interface ConversationReferencesTable {
  platform: string;
  channel_id: string;
  reference: string;
  updated_at: string;
}

/** Every table opsroom owns; a feature adding a migration adds its tables here. */
export interface Tables {
  audit_log: AuditLogTable;
  wishlist_requests: WishlistRequestsTable;
  inbound_events: InboundEventsTable;
  plugin_grants: PluginGrantsTable;
  plugin_state: PluginStateTable;
  plugin_kv: PluginKvTable;
  plugin_schedules: PluginSchedulesTable;
  rbac_role_changes: RbacRoleChangesTable;
  rbac_links: RbacLinksTable;
  rbac_link_codes: RbacLinkCodesTable;
  approval_requests: ApprovalRequestsTable;
  approval_votes: ApprovalVotesTable;
  webhook_deliveries: WebhookDeliveriesTable;
  conversation_references: ConversationReferencesTable;
}
