import { describe, expect, it } from 'vitest';
import type { ChatEventHandler } from '../../../src/core/chat-adapter.js';
import type { ActionEvent } from '../../../src/core/chat-event.js';
import type { TeamsAdapter } from '../../../adapters/teams/index.js';
import { channelMessage, executeInvoke, messageId } from '../../stand-ins/teams/activities.js';
import { settle, waitFor } from '../../stand-ins/teams/wait-for.js';
import { startTeamsBed } from './teams-bed.js';

const CARD_TYPE = 'application/vnd.microsoft.card.adaptive';

/** A handler that, like the approval flow, updates the card that was pressed. */
function updatesTheCard(adapter: () => TeamsAdapter, text: string): ChatEventHandler {
  return async (event) => {
    if (event.type !== 'action' || !event.messageId) return;
    await adapter().update({ channelId: event.channel.id, messageId: event.messageId, threadId: event.threadId }, {
      text, card: { title: 'Deploy web to prod', fields: [{ name: 'Status', value: 'approved' }] },
    });
  };
}

describe('TeamsAdapter card actions', () => {
  it('answers Action.Execute within the invoke with the updated card, replaces it for everyone, and emits the action once', async () => {
    let adapter: TeamsAdapter | undefined;
    const bed = await startTeamsBed({ handler: updatesTheCard(() => adapter as TeamsAdapter, 'Approved by Dana') });
    adapter = bed.adapter;
    const cardId = messageId();
    const result = await bed.post(executeInvoke(bed.scene, cardId, { actionId: 'approve', value: { request: 'r-42' } }));
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ statusCode: 200, type: CARD_TYPE, value: { type: 'AdaptiveCard', version: '1.5' } });
    const card = JSON.stringify((result.body as { value: unknown }).value);
    expect(card).toContain('Approved by Dana');
    expect(card).toContain('approved');
    expect(bed.events).toHaveLength(1);
    expect(bed.events[0] as ActionEvent).toMatchObject({
      type: 'action', actionId: 'approve', value: { request: 'r-42' }, messageId: cardId,
      actor: { id: `teams:user:${bed.scene.user.aadObjectId}` }, channel: { id: `teams:conversation:${bed.scene.channelId}` },
    });
    // The invoke answer replaces the card only for whoever pressed; the update replaces it for everyone else.
    const updates = bed.connector.calls.filter((c) => c.kind === 'update');
    expect(updates).toHaveLength(1);
    expect(updates[0]?.activityId).toBe(cardId);
    expect(JSON.stringify(updates[0]?.body)).toContain('Approved by Dana');
  });

  it('answers a retried invoke with the same answer and does not emit it a second time', async () => {
    let adapter: TeamsAdapter | undefined;
    const bed = await startTeamsBed({ handler: updatesTheCard(() => adapter as TeamsAdapter, 'Approved by Dana') });
    adapter = bed.adapter;
    const invoke = executeInvoke(bed.scene, messageId(), { actionId: 'approve', value: {} });
    const first = await bed.post(invoke);
    const retried = await bed.post(invoke);
    expect(retried).toEqual(first);
    expect(bed.events).toHaveLength(1);
    expect(bed.logger.entries().some((e) => e.msg?.includes('Teams repeated an invoke'))).toBe(true);
  });

  it('answers a retry that arrives while the first delivery is still running with that same answer', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const bed = await startTeamsBed({ handler: () => gate });
    const invoke = executeInvoke(bed.scene, messageId(), { actionId: 'deny', value: {} });
    const first = bed.post(invoke);
    await waitFor(() => bed.events.length === 1, { what: 'the first delivery' });
    const second = bed.post(invoke);
    await settle(50);
    release();
    const [a, b] = await Promise.all([first, second]);
    expect(b).toEqual(a);
    expect(bed.events).toHaveLength(1);
  });

  it('answers with an acknowledgement when the handler updates nothing', async () => {
    const bed = await startTeamsBed();
    const result = await bed.post(executeInvoke(bed.scene, messageId(), { actionId: 'ack', value: {} }));
    expect(result).toEqual({ status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'Received.' } });
    expect(bed.events).toHaveLength(1);
  });

  it('acknowledges a slow handler in time, and its later update goes through the connector', async () => {
    let adapter: TeamsAdapter | undefined;
    const slow = updatesTheCard(() => adapter as TeamsAdapter, 'Approved, eventually');
    const bed = await startTeamsBed({ settings: { invokeTimeoutMs: 150 }, handler: async (event) => {
      await settle(1_500);
      await slow(event);
    } });
    adapter = bed.adapter;
    const cardId = messageId();
    const started = Date.now();
    const result = await bed.post(executeInvoke(bed.scene, cardId, { actionId: 'approve', value: {} }));
    expect(Date.now() - started).toBeLessThan(1_200);
    expect((result.body as { type: string }).type).toBe('application/vnd.microsoft.activity.message');
    const update = await bed.connector.waitFor((c) => c.kind === 'update');
    expect(update.activityId).toBe(cardId);
    expect(JSON.stringify(update.body)).toContain('Approved, eventually');
  });

  it('refuses an invoke without an action inside the invoke answer', async () => {
    const bed = await startTeamsBed();
    const invoke = executeInvoke(bed.scene, messageId(), {});
    invoke.value = { trigger: 'manual' };
    const result = await bed.post(invoke);
    expect(result).toMatchObject({ status: 200, body: { statusCode: 400, type: 'application/vnd.microsoft.error' } });
    expect(bed.events).toEqual([]);
  });

  it('emits Action.Submit, which arrives as a message with a value, as an action', async () => {
    const bed = await startTeamsBed();
    const cardId = messageId();
    const submit = channelMessage(bed.scene, '', { mentionBot: false, threadRoot: cardId });
    delete submit.text;
    submit.replyToId = cardId;
    submit.value = { actionId: 'deny', value: { request: 'r-7' } };
    expect((await bed.post(submit)).status).toBe(200);
    const [event] = (await bed.waitForEvents(1)) as ActionEvent[];
    expect(event).toMatchObject({ type: 'action', actionId: 'deny', value: { request: 'r-7' }, messageId: cardId });
  });
});
