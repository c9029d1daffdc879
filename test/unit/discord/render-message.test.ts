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

  it('uploads a message\'s files on its last part, each declared by the id of its files[n] part', () => {
    const png = { name: 'deploys.png', contentType: 'image/png', data: Buffer.from([0x89, 0x50, 0x4e, 0x47]) };
    const text = Array.from({ length: 90 }, (_, i) => `${i} ${'-'.repeat(46)}`).join('\n');
    const parts = renderMessage({ text, attachments: [png] });
    expect(parts.map((p) => p.files.length)).toEqual([0, 0, 1]);
    expect(parts[2]?.body.attachments).toEqual([{ id: '0', filename: 'deploys.png' }]);
    expect(parts[2]?.files[0]).toMatchObject({ name: 'deploys.png', contentType: 'image/png', data: png.data });
    const [alone] = renderMessage({ text: '', attachments: [png] });
    expect(alone?.body).toEqual({ allowed_mentions: { parse: [] }, attachments: [{ id: '0', filename: 'deploys.png' }] });
  });

  it('sends a long answer as answer.md beside the message\'s own files', () => {
    const text = 'x'.repeat(11_000).replace(/x{100}/g, (m) => `${m}\n`);
    const [part, more] = renderMessage({ text, attachments: [{ name: 'chart.png', contentType: 'image/png', data: new Uint8Array([1, 2, 3]) }] });
    expect(more).toBeUndefined();
    expect(part?.body.attachments).toEqual([{ id: '0', filename: 'answer.md' }, { id: '1', filename: 'chart.png' }]);
    expect(part?.files.map((f) => f.name)).toEqual(['answer.md', 'chart.png']);
  });

  it('names in the text the files Discord cannot take, and sends the rest', () => {
    const small = (i: number) => ({ name: `c${i}.png`, contentType: 'image/png', data: Buffer.alloc(10) });
    const huge = { name: 'dump.bin', contentType: 'application/octet-stream', data: Buffer.alloc(11 * 1024 * 1024) };
    const [part] = renderMessage({ text: 'report', attachments: [huge, ...Array.from({ length: 11 }, (_, i) => small(i))] });
    expect(part?.files.map((f) => f.name)).toEqual(Array.from({ length: 10 }, (_, i) => `c${i}.png`));
    expect(part?.body.content).toBe([
      'report',
      '_dump.bin (11.0 MB) is not attached: Discord takes files of at most 10.0 MB from a bot._',
      '_c10.png is not attached: a Discord message holds at most 10 files._',
    ].join('\n'));
  });

  it('keeps file names to letters, digits, dots, dashes and underscores', () => {
    const [part] = renderMessage({ text: 'x', attachments: [{ name: '../etc/pass wd.png', contentType: 'image/png', data: Buffer.alloc(1) }] });
    expect(part?.files[0]?.name).toBe('etc_pass_wd.png');
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
