import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { TeamsAdapter } from '../../../adapters/teams/index.js';
import type { MessageEvent, ReactionEvent } from '../../../src/core/chat-event.js';
import { botInstalled, channelMessage, personalMessage, reaction } from '../../stand-ins/teams/activities.js';
import { settle } from '../../stand-ins/teams/wait-for.js';
import { startTeamsBed } from './teams-bed.js';

describe('TeamsAdapter inbound', () => {
  it('emits a channel message with the bot mention removed, and replyInThread answers that activity in its thread', async () => {
    const bed = await startTeamsBed();
    const activity = channelMessage(bed.scene, 'deploy web prod');
    const result = await bed.post(activity);
    expect(result.status).toBe(200);
    const [event] = (await bed.waitForEvents(1)) as MessageEvent[];
    expect(event).toMatchObject({
      type: 'message', platform: 'teams', text: 'deploy web prod', mentionsBot: true, messageId: activity.id, threadId: activity.id,
      channel: { id: `teams:conversation:${bed.scene.channelId}`, isDirect: false },
      actor: {
        id: `teams:user:${bed.scene.user.aadObjectId}`, name: bed.scene.user.name, isBot: false,
        groups: [`teams:team:${bed.scene.teamId}`, `teams:channel:${bed.scene.channelId}`],
      },
    });

    const ref = await bed.adapter.replyInThread(
      { channelId: event!.channel.id, messageId: event!.messageId, threadId: event!.threadId }, { text: 'Deploying **web** to prod' },
    );
    const call = await bed.connector.waitFor((c) => c.kind === 'reply');
    expect(call.conversationId).toBe(`${bed.scene.channelId};messageid=${activity.id}`);
    expect(call.activityId).toBe(activity.id);
    expect(call.authorization).toBe('Bearer stand-in-connector-token');
    expect(call.body).toMatchObject({
      type: 'message', text: 'Deploying **web** to prod', textFormat: 'markdown', replyToId: activity.id, from: { id: bed.scene.botId },
    });
    expect(ref).toEqual({ channelId: event!.channel.id, messageId: call.responseId, threadId: activity.id });
    // botbuilder asked for credentials in the turn and again for the reply; they were created once.
    expect(bed.credentials.created).toBe(1);
    bed.logger.assertNoErrors();
  });

  it('emits a personal chat message as a direct message without a mention', async () => {
    const bed = await startTeamsBed();
    const activity = personalMessage(bed.scene, 'status');
    expect((await bed.post(activity)).status).toBe(200);
    const [event] = (await bed.waitForEvents(1)) as MessageEvent[];
    const conversation = activity.conversation as { id: string };
    expect(event).toMatchObject({ type: 'message', text: 'status', mentionsBot: false, channel: { id: `teams:conversation:${conversation.id}`, isDirect: true } });
    expect(event!.threadId).toBeUndefined();
    expect(event!.actor.groups).toEqual([]);
  });

  it('turns the mention of another user into their qualified id, found by a member look-up', async () => {
    const bed = await startTeamsBed();
    const bob = { id: '29:bob-in-conversation', name: 'Bob Approver', aadObjectId: 'c33aafc4-646d-4543-9d4c-abd28e4d2110' };
    bed.connector.addMember(bed.scene.teamId, bob);
    const activity = channelMessage(bed.scene, 'approve-for <at>Bob Approver</at> now');
    (activity.entities as unknown[]).push({ type: 'mention', text: '<at>Bob Approver</at>', mentioned: { id: bob.id, name: bob.name } });
    await bed.post(activity);
    const [event] = (await bed.waitForEvents(1)) as MessageEvent[];
    expect(event!.text).toBe(`approve-for teams:user:${bob.aadObjectId} now`);
    expect(bed.connector.calls.filter((c) => c.kind === 'member')).toHaveLength(1);
  });

  it('maps a like reaction to 👍 on the message it was added to, and its removal too', async () => {
    const bed = await startTeamsBed();
    await bed.post(reaction(bed.scene, '1575667808184', 'like'));
    await bed.post(reaction(bed.scene, '1575667808184', 'like', false));
    const events = (await bed.waitForEvents(2)) as ReactionEvent[];
    expect(events.map((e) => [e.type, e.messageId, e.emoji, e.added])).toEqual([
      ['reaction', '1575667808184', '👍', true],
      ['reaction', '1575667808184', '👍', false],
    ]);
  });

  it('ignores an activity from a tenant that is not allowed: answers 200, emits nothing, logs it', async () => {
    const bed = await startTeamsBed();
    const activity = channelMessage(bed.scene, 'deploy web prod');
    activity.channelData = { ...(activity.channelData as object), tenant: { id: '0b1d1e55-0000-4000-8000-000000000bad' } };
    expect((await bed.post(activity)).status).toBe(200);
    await settle();
    expect(bed.events).toEqual([]);
    expect(bed.adapter.conversationReferences()).toEqual([]);
    expect(bed.logger.entries().some((e) => e.msg?.includes('tenant that is not in allowedTenants'))).toBe(true);
  });

  it('answers 400 to a body without a type before botbuilder sees it, and goes on serving', async () => {
    const bed = await startTeamsBed();
    const activity = channelMessage(bed.scene, 'hello');
    delete activity.type;
    expect(await bed.post(activity)).toEqual({ status: 400, body: { error: 'the activity has no type' } });
    expect((await bed.post(channelMessage(bed.scene, 'still here'))).status).toBe(200);
    expect(((await bed.waitForEvents(1))[0] as MessageEvent).text).toBe('still here');
  });

  it('answers 400 to a body that is not JSON, and to one that is too big', async () => {
    const bed = await startTeamsBed({ settings: { maxBodyBytes: 4096 } });
    expect(await bed.post('{"type": "message", ')).toEqual({ status: 400, body: { error: 'the body is not valid JSON' } });
    const big = channelMessage(bed.scene, 'x'.repeat(5000));
    expect(await bed.post(big)).toEqual({ status: 400, body: { error: 'the body is larger than 4096 bytes' } });
    expect(bed.events).toEqual([]);
  });

  it('answers 400 to an oversized body streamed without a length, as soon as it passes the limit', async () => {
    const bed = await startTeamsBed({ settings: { maxBodyBytes: 4096 } });
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(bed.endpoint, { method: 'POST', headers: { 'content-type': 'application/json', authorization: bed.authorization() } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write(`{"type":"message","text":"${'x'.repeat(8192)}`);
      // The body is never finished: the answer must not wait for its end.
    });
    expect(status).toBe(400);
    expect(bed.events).toEqual([]);
  });

  it('stops taking activities when stopped, while events already queued are still handled and answered', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let adapterRef: TeamsAdapter | undefined;
    const bed = await startTeamsBed({ handler: async (event) => {
      await gate;
      if (event.type === 'message') await adapterRef?.replyInThread({ channelId: event.channel.id, messageId: event.messageId, threadId: event.threadId }, { text: 'done' });
    } });
    adapterRef = bed.adapter;
    await bed.post(channelMessage(bed.scene, 'slow one'));
    await bed.waitForEvents(1);
    const stopping = bed.adapter.stop();
    expect((await bed.post(channelMessage(bed.scene, 'too late'))).status).toBe(503);
    release();
    await stopping;
    expect((await bed.connector.waitFor((c) => c.kind === 'reply')).body).toMatchObject({ text: 'done' });
    expect(bed.events).toHaveLength(1);
  });

  it('emits member events for people who join, but not for the bot being installed', async () => {
    const bed = await startTeamsBed();
    const installed = botInstalled(bed.scene);
    installed.membersAdded = [{ id: bed.scene.botId }, { id: '29:newcomer', aadObjectId: 'e830a11b-50fe-465a-810c-5c308099ca2b' }];
    await bed.post(installed);
    const [event] = await bed.waitForEvents(1);
    expect(event).toMatchObject({ type: 'member', change: 'joined', actor: { id: 'teams:user:e830a11b-50fe-465a-810c-5c308099ca2b' } });
    await settle(50);
    expect(bed.events).toHaveLength(1);
  });
});
