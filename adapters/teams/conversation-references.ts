import { z } from 'zod';
import { disposable, type Disposable } from '../../src/core/disposable.js';
import { OpsroomError } from '../../src/core/errors.js';
import { qualify, type QualifiedId } from '../../src/core/identity.js';
import { qualifiedConversation, splitConversationId } from './conversation-id.js';
import { tenantOf, type TeamsActivity } from './teams-activity.js';

/** What opsroom must remember to post into a Teams conversation later; plain JSON, so the core can persist it. */
export interface TeamsConversationReference {
  /** The qualified channel id, `teams:conversation:<conversation id>`. */
  channelId: QualifiedId;
  conversationId: string;
  conversationType: 'channel' | 'personal' | 'groupChat';
  serviceUrl: string;
  tenantId?: string;
  bot: { id: string; name?: string };
  /** In a personal chat, the user at the other end. */
  user?: { id: string; aadObjectId?: string };
  teamId?: string;
  /** ISO time of the activity it was captured from. */
  capturedAt: string;
}

const referenceSchema = z.object({
  channelId: z.string().startsWith('teams:conversation:'),
  conversationId: z.string().min(1),
  conversationType: z.enum(['channel', 'personal', 'groupChat']),
  serviceUrl: z.string().url(),
  tenantId: z.string().min(1).optional(),
  bot: z.object({ id: z.string().min(1), name: z.string().optional() }).strict(),
  user: z.object({ id: z.string().min(1), aadObjectId: z.string().min(1).optional() }).strict().optional(),
  teamId: z.string().min(1).optional(),
  capturedAt: z.string().datetime(),
}).strict();

const MAX_KNOWN_MEMBERS = 50_000;

export type ReferenceListener = (reference: TeamsConversationReference) => void;
export type ForgetListener = (channelId: QualifiedId) => void;

/** Where a user was last seen, enough to open a personal conversation with them. */
export interface KnownMember {
  memberId: string;
  serviceUrl: string;
  tenantId?: string;
  botId: string;
}

function conversationTypeOf(activity: TeamsActivity): TeamsConversationReference['conversationType'] {
  const type = activity.conversation.conversationType;
  if (type === 'channel' || type === 'personal' || type === 'groupChat') return type;
  return activity.conversation.isGroup ? 'groupChat' : 'personal';
}

/** The reference an inbound activity gives for its conversation. */
export function referenceOf(activity: TeamsActivity, at: Date): TeamsConversationReference {
  const { base } = splitConversationId(activity.conversation.id);
  const conversationType = conversationTypeOf(activity);
  const tenantId = tenantOf(activity);
  const teamId = activity.channelData?.team?.id;
  const user = conversationType === 'personal' && activity.from.id !== activity.recipient.id
    ? { id: activity.from.id, ...(activity.from.aadObjectId ? { aadObjectId: activity.from.aadObjectId } : {}) }
    : undefined;
  return {
    channelId: qualifiedConversation(base), conversationId: base, conversationType, serviceUrl: activity.serviceUrl,
    ...(tenantId ? { tenantId } : {}),
    bot: { id: activity.recipient.id, ...(activity.recipient.name ? { name: activity.recipient.name } : {}) },
    ...(user ? { user } : {}), ...(teamId ? { teamId } : {}), capturedAt: at.toISOString(),
  };
}

function sameTarget(a: TeamsConversationReference, b: TeamsConversationReference): boolean {
  return a.serviceUrl === b.serviceUrl && a.tenantId === b.tenantId && a.bot.id === b.bot.id
    && a.conversationType === b.conversationType && a.user?.id === b.user?.id && a.teamId === b.teamId;
}

/** Conversation references by channel (and personal ones by user), kept in memory; the core may persist them. */
export class ConversationReferences {
  private readonly byChannel = new Map<QualifiedId, TeamsConversationReference>();
  private readonly personalByUser = new Map<QualifiedId, TeamsConversationReference>();
  private readonly members = new Map<QualifiedId, KnownMember>();
  private readonly listeners = new Set<ReferenceListener>();
  private readonly forgetListeners = new Set<ForgetListener>();

  /** Remembers the activity's conversation (and its sender); listeners hear only about new or changed references. */
  capture(activity: TeamsActivity, at: Date): void {
    this.rememberSender(activity);
    const reference = referenceOf(activity, at);
    const known = this.byChannel.get(reference.channelId);
    if (known && sameTarget(known, reference)) return;
    this.add(reference);
  }

  /** Stores a reference made by opsroom itself (a conversation it created) and tells the listeners. */
  add(reference: TeamsConversationReference): void {
    this.store(reference);
    for (const listener of this.listeners) listener(reference);
  }

  /** Where a user (`teams:user:<aad object id>`) was last seen. */
  memberOf(userId: QualifiedId): KnownMember | undefined {
    return this.members.get(userId);
  }

  /** Drops a conversation's reference (the app was removed from it) and tells the forget listeners. */
  forget(channelId: QualifiedId): void {
    const reference = this.byChannel.get(channelId);
    if (!reference) return;
    this.byChannel.delete(channelId);
    if (reference.user?.aadObjectId) this.personalByUser.delete(qualify('teams', 'user', reference.user.aadObjectId));
    for (const listener of this.forgetListeners) listener(channelId);
  }

  find(channelId: QualifiedId): TeamsConversationReference | undefined {
    return this.byChannel.get(channelId);
  }

  /** The personal conversation with a user, by `teams:user:<aad object id>`. */
  personalWith(userId: QualifiedId): TeamsConversationReference | undefined {
    return this.personalByUser.get(userId);
  }

  all(): TeamsConversationReference[] {
    return [...this.byChannel.values()];
  }

  onDidCapture(listener: ReferenceListener): Disposable {
    this.listeners.add(listener);
    return disposable(() => this.listeners.delete(listener));
  }

  onDidForget(listener: ForgetListener): Disposable {
    this.forgetListeners.add(listener);
    return disposable(() => this.forgetListeners.delete(listener));
  }

  /** Loads persisted references; every entry is checked first, so a bad one loads nothing and is named. */
  restore(references: readonly unknown[]): void {
    const parsed = references.map((value, index) => {
      const result = referenceSchema.safeParse(value);
      if (!result.success) {
        const issue = result.error.issues[0];
        throw new OpsroomError('E_INTERNAL', `Teams conversation reference #${index} is invalid: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'unknown problem'}`);
      }
      return result.data as TeamsConversationReference;
    });
    for (const reference of parsed) this.store(reference);
  }

  private rememberSender(activity: TeamsActivity): void {
    const { from } = activity;
    if (!from.aadObjectId || from.id === activity.recipient.id) return;
    const tenantId = tenantOf(activity);
    const userId = qualify('teams', 'user', from.aadObjectId);
    // Re-inserting keeps the map in least-recently-seen order, so the cap evicts whoever spoke longest ago.
    this.members.delete(userId);
    this.members.set(userId, {
      memberId: from.id, serviceUrl: activity.serviceUrl, botId: activity.recipient.id, ...(tenantId ? { tenantId } : {}),
    });
    if (this.members.size > MAX_KNOWN_MEMBERS) this.members.delete(this.members.keys().next().value as QualifiedId);
  }

  private store(reference: TeamsConversationReference): void {
    this.byChannel.set(reference.channelId, reference);
    if (reference.conversationType === 'personal' && reference.user?.aadObjectId) {
      this.personalByUser.set(qualify('teams', 'user', reference.user.aadObjectId), reference);
    }
  }
}
