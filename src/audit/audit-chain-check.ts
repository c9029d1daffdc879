import type { AuditLogTable } from '../storage/tables.js';
import { GENESIS_HASH, hashEntry } from './audit-hash.js';
import { readRow } from './audit-row.js';

/** The last entry that verified: what the next one must link to. */
export interface ChainLink {
  seq: number;
  hash: string;
}

function deleted(first: number, last: number): string {
  return first === last ? `entry ${first} deleted` : `entries ${first} to ${last} deleted`;
}

function checkSequence(row: AuditLogTable, previous: ChainLink | undefined): string | undefined {
  const expected = previous === undefined ? 1 : previous.seq + 1;
  if (row.seq === expected) return undefined;
  if (previous === undefined) return `sequence starts at ${row.seq} (${deleted(1, row.seq - 1)})`;
  return `sequence jumps from ${previous.seq} to ${row.seq} (${deleted(previous.seq + 1, row.seq - 1)})`;
}

function checkLink(row: AuditLogTable, previous: ChainLink | undefined): string | undefined {
  if (previous === undefined) {
    return row.prev_hash === GENESIS_HASH ? undefined : 'previous hash of the first entry is not 64 zeros (entry altered or reordered)';
  }
  return row.prev_hash === previous.hash ? undefined : `previous hash does not match entry ${previous.seq} (entry deleted or reordered)`;
}

function checkContents(row: AuditLogTable): string | undefined {
  const read = readRow(row);
  if ('problem' in read) return `${read.problem} (entry altered)`;
  return hashEntry(read.record) === row.hash ? undefined : 'hash does not match its contents (entry altered)';
}

/**
 * Why `row` breaks the chain after `previous`, or undefined when it holds. The order of the checks picks
 * the reason: a gap is a deletion; contents moved to another seq still carry the prevHash of their old
 * place, so the broken link names the reorder before the hash (which covers seq) would call it an alteration.
 */
export function checkEntry(row: AuditLogTable, previous: ChainLink | undefined): string | undefined {
  return checkSequence(row, previous) ?? checkLink(row, previous) ?? checkContents(row);
}
