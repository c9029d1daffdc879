import { describe, expect, it } from 'vitest';
import { ADAPTIVE_CARD_TYPE } from '../../../adapters/teams/adaptive-card.js';
import { IMAGE_BUDGET_BYTES } from '../../../adapters/teams/inline-images.js';
import { cardOf, MESSAGE_TEXT_LIMIT, renderMessage } from '../../../adapters/teams/render-message.js';
import type { MessageAttachment } from '../../../src/core/message.js';
import { PNG_SIGNATURE } from '../../support/png.js';

/** Bytes that start like a PNG; the renderer never decodes them, it only carries them. */
function png(name = 'chart.png', size = 2_000): MessageAttachment {
  const data = Buffer.alloc(size, 7);
  PNG_SIGNATURE.copy(data);
  return { name, contentType: 'image/png', data };
}

function dataUriOf(attachment: MessageAttachment): string {
  return `data:${attachment.contentType};base64,${Buffer.from(attachment.data).toString('base64')}`;
}

describe('renderMessage with attachments', () => {
  it('shows an image as an inline data URI attachment beside markdown text', () => {
    const chart = png('deploys.png');
    const parts = renderMessage({ text: '**Deploys**', attachments: [chart] });
    expect(parts).toEqual([{
      type: 'message', text: '**Deploys**', textFormat: 'markdown',
      attachments: [{ contentType: 'image/png', contentUrl: dataUriOf(chart), name: 'deploys.png' }],
    }]);
  });

  it('puts the Adaptive Card first and the images after it, and cardOf still finds the card', () => {
    const jpeg: MessageAttachment = { name: 'photo.jpg', contentType: 'image/JPEG', data: new Uint8Array([0xff, 0xd8, 0xff, 0xe0]) };
    const parts = renderMessage({
      text: 'Approval needed', card: { title: 'deploy web prod' }, buttons: [{ id: 'approve', label: 'Approve' }], attachments: [png(), jpeg],
    });
    expect(parts).toHaveLength(1);
    const attachments = parts[0]?.attachments ?? [];
    expect(attachments.map((a) => a.contentType)).toEqual([ADAPTIVE_CARD_TYPE, 'image/png', 'image/jpeg']);
    expect(attachments[2]).toMatchObject({ contentUrl: 'data:image/jpeg;base64,/9j/4A==', name: 'photo.jpg' });
    const card = cardOf(parts[0] ?? { type: 'message' });
    expect(card).toMatchObject({ type: 'AdaptiveCard', actions: [{ type: 'Action.Execute', title: 'Approve' }] });
    expect(JSON.stringify(card.body)).toContain('Approval needed');
  });

  it('finds the card even when it is not the first attachment', () => {
    const [part] = renderMessage({ text: 'x', card: { title: 'T' } });
    const card = part?.attachments?.[0];
    const image = { contentType: 'image/png', contentUrl: 'data:image/png;base64,AAAA', name: 'a.png' };
    expect(cardOf({ type: 'message', attachments: [image, ...(card ? [card] : [])] })).toMatchObject({ type: 'AdaptiveCard' });
  });

  it('sends a message of attachments alone as one activity with the images and no empty text', () => {
    const chart = png();
    expect(renderMessage({ text: '', attachments: [chart] })).toEqual([{
      type: 'message', attachments: [{ contentType: 'image/png', contentUrl: dataUriOf(chart), name: 'chart.png' }],
    }]);
  });

  it('puts the images on the last message of a split answer, the one an update replaces', () => {
    const text = Array.from({ length: 3_000 }, (_, i) => `line ${i} ${'x'.repeat(20)}`).join('\n');
    const parts = renderMessage({ text, attachments: [png()] });
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.slice(0, -1).every((p) => p.attachments === undefined)).toBe(true);
    expect(parts.at(-1)?.attachments?.map((a) => a.contentType)).toEqual(['image/png']);
    for (const part of parts) expect(Buffer.byteLength(part.text ?? '')).toBeLessThanOrEqual(MESSAGE_TEXT_LIMIT);
  });

  it('leaves out an image past what a Teams message holds and a non-image file, saying which, how large and why, and keeps the rest', () => {
    const csv: MessageAttachment = { name: 'report.csv', contentType: 'text/csv', data: Buffer.alloc(2_048, 0x61) };
    // Encoded, it fits on its own, but not beside small.png: the images of one message share the budget.
    const huge = png('big chart.png', Math.floor((IMAGE_BUDGET_BYTES - 40) * 3 / 4));
    const parts = renderMessage({ text: '**Commands**', attachments: [csv, png('small.png'), huge] });
    expect(parts).toHaveLength(1);
    expect(parts[0]?.text).toBe([
      '**Commands**',
      '_report.csv (2 KB) is not shown: Teams shows only images (PNG, JPEG, GIF) from a bot_',
      '_big_chart.png (55 KB) is not shown: a Teams message holds at most 100 KB, and its images at most 73 KB encoded_',
    ].join('\n\n'));
    expect(parts[0]?.attachments).toEqual([expect.objectContaining({ contentType: 'image/png', name: 'small.png' })]);
  });

  it('puts the note into the card text when the message is a card, and sends no attachment for a refused file', () => {
    const pdf: MessageAttachment = { name: '../../etc/passwd*.pdf', contentType: 'application/pdf', data: Buffer.alloc(10) };
    const [part] = renderMessage({ text: '', card: { title: 'Runbook' }, attachments: [pdf] });
    expect(part?.attachments?.map((a) => a.contentType)).toEqual([ADAPTIVE_CARD_TYPE]);
    expect(JSON.stringify(cardOf(part ?? { type: 'message' }).body)).toContain('etc_passwd_.pdf (1 KB) is not shown');
  });

  it('keeps file names to letters, digits, dot, underscore and dash', () => {
    const [part] = renderMessage({ text: 'x', attachments: [{ ...png(), name: '<img src=x>"chart".png' }, { ...png(), name: '...' }] });
    expect(part?.attachments?.map((a) => (a as { name: string }).name)).toEqual(['img_src_x_chart_.png', 'file-2']);
  });

  it('renders a message without attachments as before', () => {
    expect(renderMessage({ text: 'pong' })).toEqual([{ type: 'message', text: 'pong', textFormat: 'markdown' }]);
    expect(renderMessage({ text: 'pong', attachments: [] })).toEqual([{ type: 'message', text: 'pong', textFormat: 'markdown' }]);
  });
});
