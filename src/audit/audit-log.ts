import type { HashedFields } from './audit-hash.js';

/** What a caller records; secrets in `args`/`detail` are redacted before the entry is hashed. */
export interface AuditEntryInput {
  /** A dotted lower-case name: command.received, command.denied, command.executed, approval.granted, plugin.installed... */
  action: string;
  /** A qualified user id (`discord:user:123`) or `system`. */
  actor: string;
  platform?: string;
  channel?: string;
  command?: string;
  args?: Record<string, unknown>;
  outcome?: string;
  /** Rounded to whole milliseconds. */
  durationMs?: number;
  invocationId?: string;
  detail?: Record<string, unknown>;
}

/** A stored entry: the hashed fields (absent ones null, exactly as they were hashed) and its own hash. */
export interface AuditRecord extends HashedFields {
  /** sha256 (hex) of the canonical JSON of every hashed field, prevHash included. */
  hash: string;
}

/** Narrows `list`; every given field must match. */
export interface AuditFilter {
  /** 1 to 1000; 50 when absent. */
  limit?: number;
  actor?: string;
  command?: string;
  action?: string;
  outcome?: string;
  /** Entries at or after this time. */
  since?: Date;
}

/** `entries` counts the entries that verified (before the first bad one, when there is one). */
export type VerifyResult =
  | { ok: true; entries: number }
  | { ok: false; entries: number; firstBad: { seq: number; reason: string } };

/** The tamper-evident, hash-chained audit log. */
export const AuditLog = Symbol('AuditLog');
export interface AuditLog {
  /**
   * Appends one entry at the end of the chain; resolves once it is committed. Appends are serialized (across
   * processes on PostgreSQL too); those that arrive together are committed together, in order.
   */
  append(entry: AuditEntryInput): Promise<AuditRecord>;
  /** Resolves when every entry appended so far is committed: before shutdown closes storage. */
  flush(): Promise<void>;
  /** Matching entries, newest first. */
  list(filter: AuditFilter): Promise<AuditRecord[]>;
  /** Walks the whole chain in pages and reports the first entry that does not verify. */
  verify(): Promise<VerifyResult>;
  /** Writes every entry as one JSON line ending in `\n`, oldest first; returns how many were written. */
  export(write: (line: string) => void | Promise<void>): Promise<number>;
}
