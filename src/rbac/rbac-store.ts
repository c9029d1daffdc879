import { inject, injectable } from 'inversify';
import { checkDate, checkText } from '../storage/check-input.js';
import { Database } from '../storage/database.js';
import { portableText } from '../storage/portable-text.js';
import type { IdentityLink, RbacState, RoleChange } from './rbac-state.js';

/** A one-time link code as stored: its hash, never the code. */
export interface LinkCodeRecord {
  hash: string;
  principal: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt?: Date;
  usedBy?: string;
}

/** The database side of RBAC: role decisions, identity links and link codes. */
export const RbacStore = Symbol('RbacStore');
export interface RbacStore {
  /** Every role decision and link, for the in-memory cache. */
  load(): Promise<RbacState>;
  /** Records the latest decision on one role of one principal, replacing an earlier one. */
  saveRoleChange(change: RoleChange): Promise<void>;
  /** Removes every link of a principal; returns the links removed. */
  removeLinksOf(principal: string): Promise<IdentityLink[]>;
  /** Stores a new code; the principal's earlier unused codes and every expired code are deleted. */
  saveLinkCode(code: LinkCodeRecord): Promise<void>;
  findLinkCode(hash: string): Promise<LinkCodeRecord | undefined>;
  /** Marks the code used and stores the link, atomically; false when the code was used or expired meanwhile. */
  redeemLinkCode(hash: string, link: IdentityLink): Promise<boolean>;
}

@injectable()
export class RbacStoreImpl implements RbacStore {
  constructor(@inject(Database) private readonly database: Database) {}

  async load(): Promise<RbacState> {
    const { db } = this.database;
    const [changes, links] = await Promise.all([
      db.selectFrom('rbac_role_changes').selectAll().orderBy('principal').orderBy('role').execute(),
      db.selectFrom('rbac_links').selectAll().orderBy('principal_a').orderBy('principal_b').execute(),
    ]);
    return {
      roleChanges: changes.map((row) => ({
        principal: row.principal, role: row.role, state: row.state, by: row.changed_by, at: new Date(row.changed_at),
      })),
      links: links.map((row) => ({ a: row.principal_a, b: row.principal_b, by: row.linked_by, at: new Date(row.linked_at) })),
    };
  }

  async saveRoleChange(change: RoleChange): Promise<void> {
    const row = {
      principal: text(change.principal, 'principal'),
      role: text(change.role, 'role'),
      state: change.state,
      changed_by: text(change.by, 'by'),
      changed_at: checkDate(change.at, 'at').toISOString(),
    };
    await this.database.db
      .insertInto('rbac_role_changes')
      .values(row)
      .onConflict((conflict) => conflict.columns(['principal', 'role']).doUpdateSet({
        state: row.state, changed_by: row.changed_by, changed_at: row.changed_at,
      }))
      .execute();
  }

  async removeLinksOf(principal: string): Promise<IdentityLink[]> {
    const who = text(principal, 'principal');
    const rows = await this.database.db
      .deleteFrom('rbac_links')
      .where((eb) => eb.or([eb('principal_a', '=', who), eb('principal_b', '=', who)]))
      .returning(['principal_a', 'principal_b', 'linked_by', 'linked_at'])
      .execute();
    return rows.map((row) => ({ a: row.principal_a, b: row.principal_b, by: row.linked_by, at: new Date(row.linked_at) }));
  }

  async saveLinkCode(code: LinkCodeRecord): Promise<void> {
    const createdAt = checkDate(code.createdAt, 'createdAt').toISOString();
    const principal = text(code.principal, 'principal');
    await this.database.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('rbac_link_codes')
        .where((eb) => eb.or([eb('expires_at', '<=', createdAt), eb.and([eb('principal', '=', principal), eb('used_at', 'is', null)])]))
        .execute();
      await trx.insertInto('rbac_link_codes').values({
        code_hash: text(code.hash, 'hash'), principal, created_at: createdAt,
        expires_at: checkDate(code.expiresAt, 'expiresAt').toISOString(), used_at: null, used_by: null,
      }).execute();
    });
  }

  async findLinkCode(hash: string): Promise<LinkCodeRecord | undefined> {
    const row = await this.database.db.selectFrom('rbac_link_codes').selectAll().where('code_hash', '=', text(hash, 'hash')).executeTakeFirst();
    if (!row) return undefined;
    return {
      hash: row.code_hash, principal: row.principal, createdAt: new Date(row.created_at), expiresAt: new Date(row.expires_at),
      ...(row.used_at === null ? {} : { usedAt: new Date(row.used_at) }),
      ...(row.used_by === null ? {} : { usedBy: row.used_by }),
    };
  }

  async redeemLinkCode(hash: string, link: IdentityLink): Promise<boolean> {
    const at = checkDate(link.at, 'at').toISOString();
    const [a, b] = [text(link.a, 'link.a'), text(link.b, 'link.b')].sort() as [string, string];
    const by = text(link.by, 'link.by');
    return this.database.db.transaction().execute(async (trx) => {
      const used = await trx.updateTable('rbac_link_codes')
        .set({ used_at: at, used_by: by })
        .where('code_hash', '=', text(hash, 'hash'))
        .where('used_at', 'is', null)
        .where('expires_at', '>', at)
        .executeTakeFirst();
      if (used.numUpdatedRows !== 1n) return false;
      await trx.insertInto('rbac_links').values({ principal_a: a, principal_b: b, linked_by: by, linked_at: at })
        .onConflict((conflict) => conflict.columns(['principal_a', 'principal_b']).doNothing())
        .execute();
      return true;
    });
  }
}

function text(value: string, what: string): string {
  return portableText(checkText(value, what));
}
