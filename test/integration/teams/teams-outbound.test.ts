import { describe, expect, it } from 'vitest';
import type { TeamsConversationReference } from '../../../adapters/teams/index.js';
import { OpsroomError } from '../../../src/core/errors.js';
import { botInstalled, personalMessage } from '../../stand-ins/teams/activities.js';
import { waitFor } from '../../stand-ins/teams/wait-for.js';
import { startTeamsBed, type TeamsBed } from './teams-bed.js';

async function installedBed(): Promise<TeamsBed & { channel: string }> {
  const bed = await startTeamsBed();
  expect((await bed.post(botInstalled(bed.scene))).status).toBe(200);
  const channel = `teams:conversation:${bed.scene.channelId}`;
  await waitFor(() => bed.adapter.conversationReferences().length === 1, { what: 'the captured reference' });
  return Object.assign(bed, { channel });
}

describe('TeamsAdapter outbound', () => {
  it('posts proactively to a conversation whose reference it captured at installation', async () => {
    const captured: TeamsConversationReference[] = [];
    const bed = await startTeamsBed();
    bed.adapter.onDidCaptureReference((reference) => captured.push(reference));
    await bed.post(botInstalled(bed.scene));
    await bed.post(botInstalled(bed.scene));
    const channel = `teams:conversation:${bed.scene.channelId}`;
    const ref = await bed.adapter.send(channel, { text: 'Build 812 passed' });
    const call = await bed.connector.waitFor((c) => c.kind === 'send');
    expect(call.conversationId).toBe(bed.scene.channelId);
    expect(call.body).toMatchObject({ type: 'message', text: 'Build 812 passed', conversation: { id: bed.scene.channelId } });
    expect(ref).toEqual({ channelId: channel, messageId: call.responseId, threadId: call.responseId });
    // The same conversation seen twice is reported once.
    expect(captured).toHaveLength(1);
    expect(captured[0]).toMatchObject({ channelId: channel, conversationType: 'channel', serviceUrl: bed.scene.serviceUrl, tenantId: bed.scene.tenantId });
  });

  it('keeps one connection to the connector across turns instead of opening one per message', async () => {
    const bed = await installedBed();
    for (let i = 0; i < 5; i++) await bed.adapter.send(bed.channel, { text: `feed item ${i}` });
    expect(bed.connector.calls.filter((c) => c.kind === 'send')).toHaveLength(5);
    expect(bed.connector.connections()).toBe(1);
  });

  it('refuses to send where it has no reference, saying how to fix it', async () => {
    const bed = await startTeamsBed();
    const sending = bed.adapter.send('teams:conversation:19:unknown@thread.tacv2', { text: 'hello' });
    await expect(sending).rejects.toMatchObject({
      code: 'E_NOT_FOUND', message: expect.stringContaining('teams:conversation:19:unknown@thread.tacv2'),
      hint: expect.stringContaining('install the app in that channel or mention the bot there once'),
    });
    expect(bed.connector.calls).toEqual([]);
  });

  it('posts to a restored reference after a restart', async () => {
    const first = await installedBed();
    const saved = JSON.parse(JSON.stringify(first.adapter.conversationReferences())) as unknown[];
    const second = await startTeamsBed({ scene: first.scene });
    second.adapter.restoreReferences(saved.map((r) => ({ ...(r as object), serviceUrl: second.connector.serviceUrl })));
    await second.adapter.send(first.channel, { text: 'back again' });
    expect((await second.connector.waitFor((c) => c.kind === 'send')).body).toMatchObject({ text: 'back again' });
    expect(() => second.adapter.restoreReferences([{ channelId: 'teams:conversation:x' }])).toThrow(/reference #0 is invalid/);
  });

  it('splits text over the message limit on line boundaries into messages of one thread, losing nothing', async () => {
    const bed = await installedBed();
    const lines = Array.from({ length: 1200 }, (_, i) => `line ${String(i).padStart(4, '0')} ${'·'.repeat(20)}`);
    await bed.adapter.send(bed.channel, { text: lines.join('\n') });
    const sent = bed.connector.calls.filter((c) => c.kind === 'send' || c.kind === 'reply');
    expect(sent.length).toBeGreaterThan(1);
    const texts = sent.map((c) => String(c.body?.text));
    for (const text of texts) expect(Buffer.byteLength(text)).toBeLessThanOrEqual(24_000);
    expect(texts.join('\n')).toBe(lines.join('\n'));
    expect(sent.slice(1).every((c) => c.kind === 'reply' && c.conversationId === `${bed.scene.channelId};messageid=${sent[0]?.responseId}`)).toBe(true);
  });

  it('renders a card with buttons as an Adaptive Card 1.5 whose Action.Execute data carry the button id and value', async () => {
    const bed = await installedBed();
    await bed.adapter.send(bed.channel, {
      text: 'Approval needed', card: { title: 'deploy web prod', color: '#d13438', fields: [{ name: 'Requested by', value: 'Dana' }] },
      buttons: [{ id: 'approve', label: 'Approve', style: 'primary', value: { request: 'r-1' } }, { id: 'deny', label: 'Deny', style: 'danger' }],
    });
    const call = await bed.connector.waitFor((c) => c.kind === 'send');
    const [attachment] = call.body?.attachments as Array<{ contentType: string; content: Record<string, unknown> }>;
    expect(attachment?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(attachment?.content).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
    expect(attachment?.content.actions).toMatchObject([
      { type: 'Action.Execute', title: 'Approve', style: 'positive', data: { actionId: 'approve', value: { request: 'r-1' } } },
      { type: 'Action.Execute', title: 'Deny', style: 'destructive', data: { actionId: 'deny', value: {} } },
    ]);
    expect(JSON.stringify(attachment?.content.body)).toContain('Approval needed');
    expect(JSON.stringify(attachment?.content.body)).toContain('"style":"attention"');
  });

  it('updates a message in place through the connector', async () => {
    const bed = await installedBed();
    const ref = await bed.adapter.send(bed.channel, { text: 'Deploying…' });
    await bed.adapter.update(ref, { text: 'Deployed.' });
    const call = await bed.connector.waitFor((c) => c.kind === 'update');
    expect(call.activityId).toBe(ref.messageId);
    expect(call.body).toMatchObject({ type: 'message', id: ref.messageId, text: 'Deployed.', attachments: [] });
  });

  it('opens a personal chat with a user it has seen, to message them directly', async () => {
    const bed = await installedBed();
    await bed.post(botInstalled(bed.scene));
    const userId = `teams:user:${bed.scene.user.aadObjectId}`;
    const ref = await bed.adapter.send(userId, { text: 'Your approval is needed' });
    const created = await bed.connector.waitFor((c) => c.kind === 'create');
    expect(created.body).toMatchObject({ isGroup: false, members: [{ id: bed.scene.user.id }], tenantId: bed.scene.tenantId });
    const sent = await bed.connector.waitFor((c) => c.kind === 'send');
    expect(sent.conversationId).toBe(created.responseId);
    expect(ref.channelId).toBe(`teams:conversation:${created.responseId}`);
  });

  it('messages a user in the personal chat they already have with the bot', async () => {
    const bed = await startTeamsBed();
    const activity = personalMessage(bed.scene, 'hi');
    await bed.post(activity);
    await bed.waitForEvents(1);
    await bed.adapter.send(`teams:user:${bed.scene.user.aadObjectId}`, { text: 'hello' });
    const sent = await bed.connector.waitFor((c) => c.kind === 'send');
    expect(sent.conversationId).toBe((activity.conversation as { id: string }).id);
    expect(bed.connector.calls.some((c) => c.kind === 'create')).toBe(false);
  });

  it('says a Teams bot cannot add reactions', async () => {
    const bed = await installedBed();
    await expect(bed.adapter.react({ channelId: bed.channel, messageId: '1' }, '✅')).rejects.toMatchObject({ code: 'E_UNSUPPORTED' });
  });

  it('reports a connector refusal as a platform error with a hint', async () => {
    const bed = await installedBed();
    bed.connector.failNext('send', 403);
    const failure = await bed.adapter.send(bed.channel, { text: 'hello' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpsroomError);
    expect(failure).toMatchObject({ code: 'E_PLATFORM', message: expect.stringContaining('HTTP 403'), hint: expect.stringContaining('removed') });
  });
});
