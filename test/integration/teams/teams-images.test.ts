import { describe, expect, it } from 'vitest';
import { ADAPTIVE_CARD_TYPE } from '../../../adapters/teams/adaptive-card.js';
import type { MessageAttachment } from '../../../src/core/message.js';
import { botInstalled, channelMessage, personalMessage } from '../../stand-ins/teams/activities.js';
import type { ConnectorCall } from '../../stand-ins/teams/connector-service.js';
import { waitFor } from '../../stand-ins/teams/wait-for.js';
import { decodePng, inkedPixels, PNG_SIGNATURE } from '../../support/png.js';
import { startTeamsApp } from './teams-app-bed.js';
import { startTeamsBed } from './teams-bed.js';

interface SentAttachment {
  contentType: string;
  contentUrl?: string;
  content?: unknown;
  name?: string;
}

function attachmentsOf(call: ConnectorCall | undefined): SentAttachment[] {
  return (call?.body?.attachments as SentAttachment[] | undefined) ?? [];
}

/** The bytes of an inline PNG sent as a data URI, after checking the URI's form. */
function pngOf(attachment: SentAttachment | undefined): Buffer {
  const match = /^data:image\/png;base64,([A-Za-z0-9+/]+={0,2})$/.exec(attachment?.contentUrl ?? '');
  if (!match?.[1]) throw new Error(`not a PNG data URI: ${String(attachment?.contentUrl).slice(0, 60)}`);
  return Buffer.from(match[1], 'base64');
}

function hasPng(call: ConnectorCall): boolean {
  return call.status < 300 && attachmentsOf(call).some((a) => a.contentType === 'image/png');
}

/** A small valid image: the signature and a few bytes is all the connector path looks at. */
function tinyPng(name: string): MessageAttachment {
  return { name, contentType: 'image/png', data: Buffer.concat([PNG_SIGNATURE, Buffer.from('stand-in')]) };
}

describe('Teams inline images', () => {
  it('shows a report\'s chart as an inline PNG in the reply, beside the report\'s text', async () => {
    const bed = await startTeamsApp();
    // A few runs first, so the chart has bars to draw.
    for (const [index, command] of ['ping', 'whoami', 'ping'].entries()) {
      expect((await bed.post(personalMessage(bed.scene, command))).status).toBe(200);
      await waitFor(() => bed.connector.calls.filter((c) => c.kind === 'reply').length > index, { what: `the answer to ${command}` });
    }
    expect((await bed.post(channelMessage(bed.scene, 'report commands'))).status).toBe(200);
    const reply = await bed.connector.waitFor(hasPng, { timeoutMs: 15_000 });
    expect(reply.kind).toBe('reply');
    expect(reply.status).toBe(201);
    expect(String(reply.body?.text)).toContain('**Commands, the last 30 days**');
    expect(reply.body?.textFormat).toBe('markdown');
    const [chart] = attachmentsOf(reply);
    expect(chart).toMatchObject({ contentType: 'image/png', name: 'commands.png' });
    const png = decodePng(pngOf(chart));
    expect(png.width).toBe(800);
    expect(inkedPixels(png)).toBeGreaterThan(10_000);
    expect(bed.connector.calls.filter((c) => c.status >= 400)).toEqual([]);
  });

  it('keeps the image when a message is updated with it, and removes it when the update has none', async () => {
    const bed = await startTeamsBed();
    expect((await bed.post(botInstalled(bed.scene))).status).toBe(200);
    await waitFor(() => bed.adapter.conversationReferences().length === 1, { what: 'the captured reference' });
    const channel = `teams:conversation:${bed.scene.channelId}`;
    const ref = await bed.adapter.send(channel, { text: 'Rendering…', card: { title: 'Deploys' }, attachments: [tinyPng('first.png')] });
    const sent = await bed.connector.waitFor((c) => c.kind === 'send');
    expect(attachmentsOf(sent).map((a) => a.contentType)).toEqual([ADAPTIVE_CARD_TYPE, 'image/png']);

    await bed.adapter.update(ref, { text: 'Done.', card: { title: 'Deploys' }, attachments: [tinyPng('second.png')] });
    const updated = await bed.connector.waitFor((c) => c.kind === 'update');
    expect(updated.status).toBe(200);
    expect(attachmentsOf(updated).map((a) => a.contentType)).toEqual([ADAPTIVE_CARD_TYPE, 'image/png']);
    expect(attachmentsOf(updated)[1]).toMatchObject({ name: 'second.png' });
    expect(pngOf(attachmentsOf(updated)[1]).subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);

    await bed.adapter.update(ref, { text: 'Chart withdrawn.' });
    const cleared = await waitFor(() => bed.connector.calls.filter((c) => c.kind === 'update')[1], { what: 'the second update' });
    expect(cleared.body).toMatchObject({ text: 'Chart withdrawn.', attachments: [] });
  });

  it('sends a message of an image alone, and names a file Teams cannot show in the text instead', async () => {
    const bed = await startTeamsBed();
    await bed.post(botInstalled(bed.scene));
    await waitFor(() => bed.adapter.conversationReferences().length === 1, { what: 'the captured reference' });
    const channel = `teams:conversation:${bed.scene.channelId}`;
    await bed.adapter.send(channel, { text: '', attachments: [tinyPng('only.png')] });
    const alone = await bed.connector.waitFor((c) => c.kind === 'send');
    expect(alone.status).toBe(201);
    expect(alone.body?.text).toBeUndefined();
    expect(attachmentsOf(alone)).toMatchObject([{ contentType: 'image/png', name: 'only.png' }]);

    await bed.adapter.send(channel, { text: 'Export ready', attachments: [{ name: 'export.csv', contentType: 'text/csv', data: Buffer.from('a,b\n1,2\n') }] });
    const noted = await waitFor(() => bed.connector.calls.filter((c) => c.kind === 'send')[1], { what: 'the second send' });
    expect(noted.body?.text).toBe('Export ready\n\n_export.csv (1 KB) is not shown: Teams shows only images (PNG, JPEG, GIF) from a bot_');
    expect(noted.body?.attachments).toBeUndefined();
  });

  it('has a connector stand-in that refuses a malformed attachment as the real connector does', async () => {
    const bed = await startTeamsBed();
    const url = `${bed.connector.serviceUrl}v3/conversations/${encodeURIComponent(bed.scene.channelId)}/activities`;
    const post = async (attachments: unknown[]): Promise<{ status: number; body: unknown }> => {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'message', attachments }) });
      return { status: response.status, body: await response.json() };
    };
    const refused = [
      [{ contentType: 'image/png', contentUrl: 'http://example.com/chart.png' }],
      [{ contentType: 'image/png', contentUrl: 'data:image/jpeg;base64,AAAA' }],
      [{ contentType: 'image/png', contentUrl: 'data:image/png;base64,AAA' }],
      [{ contentType: 'image/png', contentUrl: 'data:image/png,rawbytes' }],
      [{ contentType: 'image/png' }],
      [{ contentUrl: 'https://example.com/chart.png' }],
    ];
    for (const attachments of refused) {
      expect(await post(attachments)).toMatchObject({ status: 400, body: { error: { code: 'BadArgument', message: expect.stringContaining('attachments[0]') } } });
    }
    expect((await post([{ contentType: 'image/png', contentUrl: 'https://example.com/chart.png' }, { contentType: 'image/gif', contentUrl: 'data:image/gif;base64,R0lGODlh' }])).status).toBe(201);
    expect((await post([{ contentType: ADAPTIVE_CARD_TYPE, content: { type: 'AdaptiveCard' } }])).status).toBe(201);
  });
});
