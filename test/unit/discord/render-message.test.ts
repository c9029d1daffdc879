import { describe, expect, it } from 'vitest';
import { renderEdit, renderMessage } from '../../../adapters/discord/render-message.js';
import { parseColor, renderEmbed } from '../../../adapters/discord/render-embed.js';

describe('renderMessage', () => {
  it('puts card and buttons on the last of the split messages, and forbids mentions on every one', () => {
    const text = Array.from({ length: 90 }, (_, i) => `${i} ${'-'.repeat(46)}`).join('\n');
    const parts = renderMessage({ text, card: { title: 't' }, buttons: [{ id: 'ok', label: 'OK' }] });
    expect(parts).toHaveLength(3);
    expect(parts.map((p) => [Boolean(p.body.embeds), Boolean(p.body.components)])).toEqual([[false, false], [false, false], [true, true]]);
    expect(parts.every((p) => JSON.stringify(p.body.allowed_mentions) === '{"parse":[]}')).toBe(true);
  });

  it('lays buttons out five to a row and refuses more than Discord shows', () => {
    const buttons = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `b${i}`, label: `B${i}` }));
    const [part] = renderMessage({ text: 'x', buttons: buttons(7) });
    expect(part?.body.components?.map((row) => ('components' in row ? row.components.length : 0))).toEqual([5, 2]);
    expect(() => renderMessage({ text: 'x', buttons: buttons(26) })).toThrow(/at most 25 buttons; this one has 26/);
  });

  it('refuses an empty message', () => {
    expect(() => renderMessage({ text: '' })).toThrow(/empty message/);
  });

  it('states every part of an edit, so removed buttons and cards go away', () => {
    expect(renderEdit({ text: 'done' }).body).toEqual({ content: 'done', embeds: [], components: [], attachments: [], allowed_mentions: { parse: [] } });
  });
});

describe('renderEmbed', () => {
  it('reads colours as hex or names and drops what is not a colour or a web URL', () => {
    expect([parseColor('#f00'), parseColor('E01E5A'), parseColor('good'), parseColor('nope')]).toEqual([0xff0000, 0xe01e5a, 0x2eb67d, undefined]);
    expect(renderEmbed({ title: 'x', url: 'javascript:alert(1)', color: 'nope' })).toEqual({ title: 'x' });
  });

  it('keeps an embed within Discord\'s 6,000 characters, cutting the description first', () => {
    const embed = renderEmbed({ text: 'd'.repeat(4_000), fields: Array.from({ length: 3 }, (_, i) => ({ name: `f${i}`, value: 'v'.repeat(1_000) })) });
    const total = (embed.description?.length ?? 0) + (embed.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
    expect(total).toBeLessThanOrEqual(6_000);
    expect(embed.fields).toHaveLength(3);
    expect(embed.description?.endsWith('…')).toBe(true);
  });
});
