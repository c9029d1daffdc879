import { describe, expect, it } from 'vitest';
import { normalizeMentions } from '../../../adapters/teams/mentions.js';
import { emojiOfReaction } from '../../../adapters/teams/reaction-emoji.js';
import { styleOfColor } from '../../../adapters/teams/adaptive-card.js';
import type { TeamsActivity } from '../../../adapters/teams/teams-activity.js';

function activity(text: string, entities: TeamsActivity['entities']): TeamsActivity {
  return {
    type: 'message', channelId: 'msteams', serviceUrl: 'https://smba.example/', text, entities,
    from: { id: '29:user' }, recipient: { id: '28:bot', name: 'opsroom' }, conversation: { id: 'a:1' },
  };
}

const noLookup = async (): Promise<undefined> => undefined;

describe('normalizeMentions', () => {
  it('removes the bot mention matched by id, whatever name it was typed with', async () => {
    const result = await normalizeMentions(activity('<at>My Combined</at>show members\n', [
      { type: 'mention', text: '<at>My Combined</at>', mentioned: { id: '28:bot', name: 'My Combined' } },
    ]), noLookup);
    expect(result).toEqual({ text: 'show members', mentionsBot: true });
  });

  it('removes the <at> tag when the entity text is not literally in the message', async () => {
    const result = await normalizeMentions(activity('<at>opsroom</at> deploy web', [
      { type: 'mention', text: '<at>opsroom</at>&nbsp;', mentioned: { id: '28:bot', name: 'opsroom' } },
    ]), noLookup);
    expect(result).toEqual({ text: 'deploy web', mentionsBot: true });
  });

  it('does not count a mention of someone else as a mention of the bot, and keeps an unresolved one as a name', async () => {
    const result = await normalizeMentions(activity('ask <at>Bob</at>', [
      { type: 'mention', text: '<at>Bob</at>', mentioned: { id: '29:bob', name: 'Bob' } },
    ]), noLookup);
    expect(result).toEqual({ text: 'ask @Bob', mentionsBot: false });
  });
});

describe('emojiOfReaction', () => {
  it('maps classic reaction names and code point names to emoji, and keeps unknown ones', () => {
    expect(['like', 'heart', 'laugh', 'surprised', 'sad', 'angry'].map(emojiOfReaction)).toEqual(['👍', '❤️', '😆', '😮', '😢', '😠']);
    expect(emojiOfReaction('2705_whiteheavycheckmark')).toBe('✅');
    expect(emojiOfReaction('1f44d_thumbsup')).toBe('👍');
    expect(emojiOfReaction('partyparrot')).toBe('partyparrot');
  });
});

describe('styleOfColor', () => {
  it('picks the nearest Adaptive Card container style for a colour', () => {
    expect(['#d13438', '#ffb900', '#107c10', '#0078d4', '#808080', 'red'].map(styleOfColor))
      .toEqual(['attention', 'warning', 'good', 'accent', 'emphasis', undefined]);
  });
});
