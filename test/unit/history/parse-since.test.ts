import { describe, expect, it } from 'vitest';
import { describeSince, parseSince } from '../../../src/history/parse-since.js';
import { channelLabel, messageLink, userLabel } from '../../../src/history/message-link.js';

const now = new Date('2025-03-31T12:00:00Z');

describe('parseSince', () => {
  it('reads spans and dates', () => {
    expect(parseSince('30m', now).toISOString()).toBe('2025-03-31T11:30:00.000Z');
    expect(parseSince('7D', now).toISOString()).toBe('2025-03-24T12:00:00.000Z');
    expect(parseSince('2w', now).toISOString()).toBe('2025-03-17T12:00:00.000Z');
    expect(parseSince('2025-01-31', now).toISOString()).toBe('2025-01-31T00:00:00.000Z');
    expect(describeSince('1d')).toBe('the last day');
    expect(describeSince('12h')).toBe('the last 12 hours');
    expect(describeSince('2025-01-31')).toBe('since 2025-01-31');
  });

  it('explains what it cannot read', () => {
    expect(() => parseSince('0d', now)).toThrow('--since 0d is no time at all');
    expect(() => parseSince('2025-02-30', now)).toThrow('is neither a span');
    expect(() => parseSince('2026-01-01', now)).toThrow('--since 2026-01-01 is in the future');
    expect(() => parseSince('99999d', now)).toThrow('reaches back more than 3660 days');
  });
});

describe('message links and labels', () => {
  it('links Discord messages when the guild is known, and Teams channel messages', () => {
    expect(messageLink('discord:channel:2', '3', { discordGuildId: '1' })).toBe('https://discord.com/channels/1/2/3');
    expect(messageLink('discord:channel:2', '3', {})).toBeUndefined();
    expect(messageLink('teams:conversation:19:abc@thread.tacv2;messageid=99', '1700000000000', {}))
      .toBe('https://teams.microsoft.com/l/message/19%3Aabc%40thread.tacv2/1700000000000');
    expect(messageLink('teams:conversation:a:1on1chat', '5', {})).toBeUndefined();
    expect(messageLink('local:channel:ops', 'x-m4', {})).toBeUndefined();
  });

  it('names people and channels as each platform shows them', () => {
    expect(userLabel('discord:user:42', 'Ann')).toBe('<@42>');
    expect(userLabel('teams:user:abc', 'Ann')).toBe('Ann');
    expect(channelLabel('discord:channel:9', 'ops')).toBe('<#9>');
    expect(channelLabel('local:channel:ops', undefined)).toBe('#ops');
    expect(channelLabel('teams:conversation:19:x', undefined)).toBe('a Teams conversation');
  });
});
