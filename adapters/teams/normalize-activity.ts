import type { ActionEvent, Actor, ChannelRef, ChatEvent, MemberEvent, ReactionEvent } from '../../src/core/chat-event.js';
import { qualify, type QualifiedId } from '../../src/core/identity.js';
import { qualifiedConversation, splitConversationId } from './conversation-id.js';
import { normalizeMentions, type MemberResolver } from './mentions.js';
import { emojiOfReaction } from './reaction-emoji.js';
import { isRecord, type TeamsAccount, type TeamsActivity } from './teams-activity.js';

export const EXECUTE_INVOKE = 'adaptiveCard/action';

type Base = Omit<ActionEvent, 'type' | 'actionId' | 'value' | 'messageId'>;

/** A user is known by Entra object id, never by display name; the conversation-scoped `29:` id is the fallback. */
export function actorOf(account: TeamsAccount, activity: TeamsActivity): Actor {
  return {
    id: qualify('teams', 'user', account.aadObjectId ?? account.id),
    name: account.name ?? '',
    isBot: account.role === 'bot' || account.id.startsWith('28:'),
    groups: groupsOf(activity),
  };
}

function groupsOf(activity: TeamsActivity): QualifiedId[] {
  const data = activity.channelData ?? {};
  const team = data.team?.id ?? (typeof data.teamsTeamId === 'string' ? data.teamsTeamId : undefined);
  const channel = data.channel?.id ?? (typeof data.teamsChannelId === 'string' ? data.teamsChannelId : undefined);
  const groups: QualifiedId[] = [];
  if (team) groups.push(qualify('teams', 'team', team));
  if (data.team?.aadGroupId) groups.push(qualify('teams', 'group', data.team.aadGroupId));
  if (channel) groups.push(qualify('teams', 'channel', channel));
  return groups;
}

function channelOf(activity: TeamsActivity): ChannelRef {
  const { base } = splitConversationId(activity.conversation.id);
  const name = activity.channelData?.channel?.name ?? activity.conversation.name;
  return { id: qualifiedConversation(base), isDirect: activity.conversation.conversationType === 'personal', ...(name ? { name } : {}) };
}

/** Event ids are unique per platform: Teams message ids are only unique within a conversation. */
function eventId(activity: TeamsActivity, ...suffix: string[]): string {
  return [splitConversationId(activity.conversation.id).base, activity.id ?? '', ...suffix].join('|');
}

function baseOf(activity: TeamsActivity, receivedAt: Date, actor = actorOf(activity.from, activity)): Base {
  const { threadId } = splitConversationId(activity.conversation.id);
  return { id: eventId(activity), platform: 'teams', channel: channelOf(activity), actor, receivedAt, ...(threadId ? { threadId } : {}) };
}

/** Our buttons carry `{ actionId, value }`; anything else is taken as the value of an action named `fallbackId`. */
export function actionOfData(data: unknown, fallbackId: string): { actionId: string; value: Record<string, unknown> } {
  if (isRecord(data) && typeof data.actionId === 'string' && data.actionId.length > 0) {
    return { actionId: data.actionId, value: isRecord(data.value) ? data.value : {} };
  }
  return { actionId: fallbackId, value: isRecord(data) ? data : {} };
}

function actionEvent(activity: TeamsActivity, receivedAt: Date, action: { actionId: string; value: Record<string, unknown> }): ActionEvent {
  return { ...baseOf(activity, receivedAt), type: 'action', ...action, ...(activity.replyToId ? { messageId: activity.replyToId } : {}) };
}

/** An `adaptiveCard/action` invoke (Action.Execute) as an action event, or why it cannot be one. */
export function executeInvokeEvent(activity: TeamsActivity, receivedAt: Date): ActionEvent | string {
  const action = isRecord(activity.value) ? activity.value.action : undefined;
  if (!isRecord(action)) return 'the invoke carries no action';
  if (action.type !== 'Action.Execute') return `the invoke action is ${String(action.type)}, not Action.Execute`;
  const verb = typeof action.verb === 'string' && action.verb.length > 0 ? action.verb : undefined;
  const parsed = actionOfData(action.data, verb ?? '');
  if (parsed.actionId.length === 0) return 'the action names neither a verb nor an actionId';
  return actionEvent(activity, receivedAt, parsed);
}

async function messageEvents(activity: TeamsActivity, receivedAt: Date, resolve: MemberResolver): Promise<ChatEvent[]> {
  if (!activity.id) return [];
  // Action.Submit (and older clients' fallback for Action.Execute) arrives as a message carrying the card's data.
  if (isRecord(activity.value)) return [actionEvent(activity, receivedAt, actionOfData(activity.value, 'submit'))];
  const { text, mentionsBot } = await normalizeMentions(activity, resolve);
  return [{ ...baseOf(activity, receivedAt), type: 'message', messageId: activity.id, text, mentionsBot }];
}

function reactionEvents(activity: TeamsActivity, receivedAt: Date): ReactionEvent[] {
  const messageId = activity.replyToId;
  if (!messageId) return [];
  const events: ReactionEvent[] = [];
  const push = (reactions: Array<{ type?: string }> | undefined, added: boolean): void => {
    for (const reaction of reactions ?? []) {
      if (!reaction?.type) continue;
      const id = eventId(activity, added ? '+' : '-', reaction.type);
      events.push({ ...baseOf(activity, receivedAt), id, type: 'reaction', messageId, emoji: emojiOfReaction(reaction.type), added });
    }
  };
  push(activity.reactionsAdded, true);
  push(activity.reactionsRemoved, false);
  return events;
}

function memberEvents(activity: TeamsActivity, receivedAt: Date): MemberEvent[] {
  const events: MemberEvent[] = [];
  const push = (members: TeamsAccount[] | undefined, change: 'joined' | 'left'): void => {
    for (const member of members ?? []) {
      if (!member?.id || member.id === activity.recipient.id) continue;
      const base = baseOf(activity, receivedAt, actorOf(member, activity));
      events.push({ ...base, id: eventId(activity, change, member.id), type: 'member', change });
    }
  };
  push(activity.membersAdded, 'joined');
  push(activity.membersRemoved, 'left');
  return events;
}

/** The chat events a (non-Execute) activity stands for; activities opsroom has no use for give none. */
export async function normalizeActivity(activity: TeamsActivity, receivedAt: Date, resolve: MemberResolver): Promise<ChatEvent[]> {
  switch (activity.type) {
    case 'message':
      return messageEvents(activity, receivedAt, resolve);
    case 'messageReaction':
      return reactionEvents(activity, receivedAt);
    case 'conversationUpdate':
      return memberEvents(activity, receivedAt);
    case 'invoke':
      // A Bot Framework `invoke` card action (no name) carries the card data like Action.Submit does.
      return !activity.name && isRecord(activity.value) ? [actionEvent(activity, receivedAt, actionOfData(activity.value, 'submit'))] : [];
    default:
      return [];
  }
}
