import { qualify } from '../../src/core/identity.js';
import type { TeamsAccount, TeamsActivity, TeamsEntity } from './teams-activity.js';

/** Finds a mentioned user's Entra object id (a member look-up); undefined when it cannot be found. */
export type MemberResolver = (member: TeamsAccount) => Promise<string | undefined>;

export interface MentionResult {
  text: string;
  mentionsBot: boolean;
}

interface Mention {
  entity: TeamsEntity;
  mentioned: TeamsAccount;
}

function mentionsOf(activity: TeamsActivity): Mention[] {
  const found: Mention[] = [];
  for (const entity of activity.entities ?? []) {
    const mentioned = entity?.mentioned;
    if (entity?.type === 'mention' && typeof mentioned?.id === 'string') found.push({ entity, mentioned });
  }
  return found;
}

/**
 * Replaces a mention in the text. botbuilder's removeRecipientMention matches the entity by id but removes the
 * entity's `text`; when that text is not literally in the message (clients differ in escaping and spacing),
 * the `<at>name</at>` tag itself is replaced.
 */
function replaceMention(text: string, mention: Mention, replacement: string): string {
  const literal = typeof mention.entity.text === 'string' ? mention.entity.text : '';
  if (literal.length > 0 && text.includes(literal)) return text.split(literal).join(replacement);
  const name = mention.mentioned.name;
  if (name) {
    const tag = `<at>${name}</at>`;
    if (text.includes(tag)) return text.split(tag).join(replacement);
  }
  return text;
}

/** What a mention of someone other than the bot becomes: a qualified id the router understands. */
async function replacementFor(mention: Mention, resolve: MemberResolver): Promise<string> {
  const { mentioned } = mention;
  if (mentioned.id.startsWith('19:')) return qualify('teams', 'conversation', mentioned.id);
  const aadObjectId = mentioned.aadObjectId ?? (await resolve(mentioned));
  if (aadObjectId) return qualify('teams', 'user', aadObjectId);
  return `@${mentioned.name ?? mentioned.id}`;
}

/** Removes the bot's own mention, turns other mentions into qualified ids, and says whether the bot was mentioned. */
export async function normalizeMentions(activity: TeamsActivity, resolve: MemberResolver): Promise<MentionResult> {
  let text = activity.text ?? '';
  let mentionsBot = false;
  for (const mention of mentionsOf(activity)) {
    if (mention.mentioned.id === activity.recipient.id) {
      mentionsBot = true;
      text = replaceMention(text, mention, '');
    } else {
      text = replaceMention(text, mention, await replacementFor(mention, resolve));
    }
  }
  return { text: text.trim(), mentionsBot };
}
