import { inject, injectable } from 'inversify';
import { AuditLog } from '../audit/audit-log.js';
import { Clock } from '../core/clock.js';
import { OpsroomError, UserError } from '../core/errors.js';
import { parseQualified } from '../core/identity.js';
import { assertNoLockout, auditChange, checkPrincipal, type ChangeContext } from './change-context.js';
import { hashLinkCode, LINK_CODE_TTL_MS, newLinkCode, normalizeLinkCode } from './link-code.js';
import { RbacService } from './rbac-service.js';
import { RbacSettings } from './rbac-settings.js';
import { RbacStore } from './rbac-store.js';
import { RoleModel } from './role-model.js';

export interface IssuedLinkCode {
  /** Shown once to the identity that asked; only its hash is stored. */
  code: string;
  expiresAt: Date;
}

/**
 * One person's identities on several platforms, joined by a one-time code: `link` on one platform answers
 * a code, `link <code>` typed by the other identity on another platform joins them; roles then apply to both.
 */
export const IdentityLinks = Symbol('IdentityLinks');
export interface IdentityLinks {
  issueCode(context: ChangeContext): Promise<IssuedLinkCode>;
  /** Links the caller to the identity that issued the code; returns that identity. */
  redeemCode(code: string, context: ChangeContext): Promise<{ linkedTo: string }>;
  /** Removes every link of a principal (an admin undoing a wrong link); returns the identities it was linked to. */
  unlink(principal: string, context: ChangeContext): Promise<string[]>;
}

const AGAIN = 'Run `link` on your other platform to get a new one.';

@injectable()
export class IdentityLinksImpl implements IdentityLinks {
  constructor(
    @inject(RbacSettings) private readonly settings: RbacSettings,
    @inject(RbacStore) private readonly store: RbacStore,
    @inject(RbacService) private readonly rbac: RbacService,
    @inject(AuditLog) private readonly audit: AuditLog,
    @inject(Clock) private readonly clock: Clock,
  ) {}

  async issueCode(context: ChangeContext): Promise<IssuedLinkCode> {
    const principal = checkPrincipal(context.actor.id);
    const code = newLinkCode();
    const normalized = normalizeLinkCode(code);
    if (normalized === undefined) throw new OpsroomError('E_INTERNAL', `a generated link code does not normalize: ${code.length} characters`);
    const createdAt = this.clock.now();
    const expiresAt = new Date(createdAt.getTime() + LINK_CODE_TTL_MS);
    await this.store.saveLinkCode({ hash: hashLinkCode(normalized), principal, createdAt, expiresAt });
    await auditChange(this.audit, 'rbac.link.requested', context, { principal, expiresAt: expiresAt.toISOString() });
    return { code, expiresAt };
  }

  async redeemCode(code: string, context: ChangeContext): Promise<{ linkedTo: string }> {
    const redeemer = checkPrincipal(context.actor.id);
    const { issuer, hash } = await this.validCode(code);
    const model = await this.freshModel();
    this.checkJoinable(model, issuer, redeemer);
    const at = this.clock.now();
    if (!(await this.store.redeemLinkCode(hash, { a: issuer, b: redeemer, by: redeemer, at }))) {
      throw new UserError('E_LINK_CODE', `That link code was used or expired a moment ago. ${AGAIN}`);
    }
    await auditChange(this.audit, 'rbac.identity.linked', context, { principal: issuer, linked: redeemer });
    await this.rbac.reload();
    return { linkedTo: issuer };
  }

  async unlink(principal: string, context: ChangeContext): Promise<string[]> {
    const who = checkPrincipal(principal);
    const model = await this.freshModel();
    const linked = model.linkedTo(who);
    if (linked.length === 0) throw new UserError('E_NOT_FOUND', `${who} has no linked identity.`);
    const remaining = model.state.links.filter((l) => l.a !== who && l.b !== who);
    assertNoLockout(this.settings, model, model.withLinks(remaining), context.actor, `Unlinking ${who}`);
    const removed = await this.store.removeLinksOf(who);
    const from = removed.map((l) => (l.a === who ? l.b : l.a)).sort();
    await auditChange(this.audit, 'rbac.identity.unlinked', context, { principal: who, from });
    await this.rbac.reload();
    return from;
  }

  private async validCode(code: string): Promise<{ issuer: string; hash: string }> {
    const normalized = normalizeLinkCode(code);
    if (normalized === undefined) {
      throw new UserError('E_LINK_CODE', `That is not a link code: a code is 8 letters and digits, such as ABCD-EFGH. ${AGAIN}`);
    }
    const hash = hashLinkCode(normalized);
    const record = await this.store.findLinkCode(hash);
    if (!record) throw new UserError('E_LINK_CODE', `That link code does not exist; check it for typos. ${AGAIN}`);
    if (record.usedAt) throw new UserError('E_LINK_CODE', `That link code was already used; a code works once. ${AGAIN}`);
    if (this.clock.now().getTime() >= record.expiresAt.getTime()) {
      throw new UserError('E_LINK_CODE', `That link code expired at ${record.expiresAt.toISOString().slice(11, 16)} UTC; codes last ${LINK_CODE_TTL_MS / 60_000} minutes. ${AGAIN}`);
    }
    return { issuer: record.principal, hash };
  }

  /** One person has at most one identity per platform, so a link never merges two people of one platform. */
  private checkJoinable(model: RoleModel, issuer: string, redeemer: string): void {
    if (issuer === redeemer) throw new UserError('E_LINK_CONFLICT', 'You created that code yourself: type it as your identity on the other platform.');
    const ours = model.identitiesOf(issuer);
    if (ours.includes(redeemer)) throw new UserError('E_LINK_CONFLICT', `${redeemer} and ${issuer} are already linked.`);
    const theirs = model.identitiesOf(redeemer);
    for (const mine of ours) {
      const clash = theirs.find((other) => parseQualified(other)?.platform === parseQualified(mine)?.platform);
      if (clash) {
        throw new UserError('E_LINK_CONFLICT', `Cannot link: ${mine} and ${clash} are both on ${parseQualified(mine)?.platform ?? 'one platform'}, and one person has one identity per platform. An admin can undo an earlier link with \`roles unlink\`.`);
      }
    }
  }

  private async freshModel(): Promise<RoleModel> {
    return new RoleModel(this.settings, await this.store.load());
  }
}
