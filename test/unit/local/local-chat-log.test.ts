import { describe, expect, it } from 'vitest';
import type { LocalChatChange } from '../../../src/core/local-chat-hub.js';
import { LocalChatLog, type NewEntry } from '../../../adapters/local/local-chat-log.js';

const BOT = 'local:bot:opsroom';

function entry(id: string, channel = 'ops', text = `message ${id}`): NewEntry {
  return { id, shortId: id, channel, author: { id: 'local:user:alice', name: 'alice', isBot: false }, message: { text }, at: '2025-03-01T09:00:00.000Z' };
}

describe('LocalChatLog', () => {
  it('keeps the newest messages of each channel, without one channel pushing out another', () => {
    const log = new LocalChatLog(2);
    for (const id of ['a1', 'a2', 'a3']) log.post(entry(id, 'ops'));
    log.post(entry('b1', 'builds'));
    expect(log.history().map((e) => e.id)).toEqual(['a2', 'a3', 'b1']);
    expect(log.get('a1')).toBeUndefined();
  });

  it('offers the bot reactions of a message and counts each user once per emoji', () => {
    const log = new LocalChatLog();
    log.post(entry('m1'), ['✅', '❌'], BOT);
    expect(log.react('m1', 'local:user:bob', '✅', true)).toMatchObject({ changed: true });
    expect(log.react('m1', 'local:user:bob', '✅', true)).toEqual({ changed: false });
    expect(log.get('m1')?.reactions).toEqual([{ emoji: '✅', by: [BOT, 'local:user:bob'] }, { emoji: '❌', by: [BOT] }]);
  });

  it('keeps an offered emoji on the bar at zero and drops one nobody holds any more', () => {
    const log = new LocalChatLog();
    log.post({ ...entry('m1'), message: { text: 'approve?', reactions: ['✅'] } });
    log.react('m1', 'local:user:bob', '✅', true);
    log.react('m1', 'local:user:bob', '🎉', true);
    log.react('m1', 'local:user:bob', '✅', false);
    log.react('m1', 'local:user:bob', '🎉', false);
    expect(log.get('m1')?.reactions).toEqual([{ emoji: '✅', by: [] }]);
    expect(log.react('m1', 'local:user:bob', '✅', false)).toEqual({ changed: false });
  });

  it('rewrites a message in place, counting the edits, and tells listeners with copies they cannot change the log through', () => {
    const log = new LocalChatLog();
    const changes: LocalChatChange[] = [];
    log.onDidChange((change) => changes.push(change));
    log.post(entry('m1'));
    const edited = log.edit('m1', { text: 'approved - running' }, BOT);
    expect(edited).toMatchObject({ edits: 1, message: { text: 'approved - running' } });
    expect(changes.map((c) => [c.kind, c.entry.message.text])).toEqual([['posted', 'message m1'], ['updated', 'approved - running']]);
    (changes[1] as LocalChatChange).entry.message.text = 'tampered';
    expect(log.get('m1')?.message.text).toBe('approved - running');
    expect(log.edit('unknown', { text: 'x' }, BOT)).toBeUndefined();
  });

  it('replaces the files of a message it rewrites, and drops them when the new version has none', () => {
    const log = new LocalChatLog();
    const chart = { index: 0, name: 'chart.png', contentType: 'image/png', size: 10 };
    log.post({ ...entry('m1'), files: [chart] });
    expect(log.edit('m1', { text: 'new chart' }, BOT, [{ ...chart, size: 12 }])?.files).toEqual([{ ...chart, size: 12 }]);
    expect(log.edit('m1', { text: 'no chart' }, BOT)).not.toHaveProperty('files');
  });
});
