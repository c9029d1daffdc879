import { describe, expect, it } from 'vitest';
import { channelMessage, executeInvoke, reaction, type Activity } from '../../stand-ins/teams/activities.js';
import type { ConnectorCall } from '../../stand-ins/teams/connector-service.js';
import { settle } from '../../stand-ins/teams/wait-for.js';
import { as, startTeamsApp, teamsUser, type TeamsAppBed } from './teams-app-bed.js';

const CARD_TYPE = 'application/vnd.microsoft.card.adaptive';

interface RequestCard {
  cardId: string;
  requestId: string;
  ask: Activity;
}

/** The requester asks for `ping` (held by the policy) and the approval card is posted in the thread. */
async function requestPing(bed: TeamsAppBed): Promise<RequestCard> {
  const ask = channelMessage(bed.scene, 'ping');
  expect((await bed.post(ask)).status).toBe(200);
  const card = await bed.connector.waitFor((c) => c.kind === 'reply' && c.activityId === ask.id);
  expect(card.conversationId).toBe(`${bed.scene.channelId};messageid=${String(ask.id)}`);
  const [attachment] = card.body?.attachments as Array<{ contentType: string; content: { version: string; actions: Array<Record<string, unknown>> } }>;
  expect(attachment?.contentType).toBe(CARD_TYPE);
  expect(attachment?.content.version).toBe('1.5');
  const approve = attachment?.content.actions.find((a) => a.title === 'Approve');
  expect(approve).toMatchObject({ type: 'Action.Execute', data: { actionId: 'approval.approve' } });
  expect(attachment?.content.actions.find((a) => a.title === 'Deny')).toMatchObject({ type: 'Action.Execute', data: { actionId: 'approval.deny' } });
  const requestId = (approve?.data as { value: { requestId: string } }).value.requestId;
  return { cardId: String(card.responseId), requestId, ask };
}

function press(bed: TeamsAppBed, who: TeamsAppBed['approver'], request: RequestCard, actionId = 'approval.approve'): Activity {
  return executeInvoke(as(bed.scene, who), request.cardId, { actionId, value: { requestId: request.requestId } }, { verb: actionId, threadRoot: String(request.ask.id) });
}

function replies(bed: TeamsAppBed, text: string): ConnectorCall[] {
  return bed.connector.calls.filter((c) => c.kind === 'reply' && c.body?.text === text);
}

describe('opsroom approvals on Teams', () => {
  it('asks on a card, refuses the requester\'s own Approve, runs once on an approver\'s, updates the card, and ignores the retry', async () => {
    const bed = await startTeamsApp({ config: () => ({ approvals: { policies: [{ command: 'ping', approvals: 1, approverRoles: ['approver'] }] } }) });
    const request = await requestPing(bed);

    const own = await bed.post(press(bed, bed.scene.user, request));
    expect(own).toEqual({ status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'Received.' } });
    const refusal = await bed.connector.waitFor((c) => c.kind === 'reply' && String(c.body?.text).includes('cannot approve it'));
    expect(refusal.activityId).toBe(request.cardId);
    expect(String(refusal.body?.text)).toContain(`asked for ${request.requestId}`);
    expect(replies(bed, 'pong')).toEqual([]);

    const approval = press(bed, bed.approver, request);
    const answer = await bed.post(approval);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ statusCode: 200, type: CARD_TYPE, value: { type: 'AdaptiveCard', version: '1.5' } });
    const answered = JSON.stringify((answer.body as { value: unknown }).value);
    expect(answered).toContain('approved by Bo Approver');
    expect(answered).not.toContain('Action.Execute');
    expect(replies(bed, 'pong')).toHaveLength(1);
    // Everyone else in the channel sees the decision too: the card is replaced through the connector.
    const updates = bed.connector.calls.filter((c) => c.kind === 'update' && c.activityId === request.cardId);
    expect(updates.length).toBeGreaterThan(0);
    expect(JSON.stringify(updates.at(-1)?.body)).toContain('approved by Bo Approver');
    expect(updates.at(-1)?.conversationId).toBe(`${bed.scene.channelId};messageid=${String(request.ask.id)}`);

    const retried = await bed.post(approval);
    expect(retried).toEqual(answer);
    await settle(300);
    expect(replies(bed, 'pong')).toHaveLength(1);
    expect((await bed.audit('command.executed')).filter((e) => e.command === 'ping')).toHaveLength(1);
    expect(await bed.audit('approval.approved')).toHaveLength(1);
    expect(await bed.audit('approval.refused')).toMatchObject([{ actor: `teams:user:${bed.scene.user.aadObjectId}` }]);
  });

  it('counts a ✅ reaction on the card as an approval and updates the card with the count', async () => {
    const second = teamsUser('Cy Approver');
    const bed = await startTeamsApp({
      config: (scene, approver) => ({
        approvals: { policies: [{ command: 'ping', approvals: 2, approverRoles: ['approver'] }] },
        rbac: {
          bindings: [
            { principal: `teams:user:${scene.user.aadObjectId}`, roles: ['operator'] },
            { principal: `teams:user:${approver.aadObjectId}`, roles: ['approver'] },
            { principal: `teams:user:${second.aadObjectId}`, roles: ['approver'] },
          ],
        },
      }),
    });
    const request = await requestPing(bed);
    expect((await bed.post(reaction(as(bed.scene, bed.approver), request.cardId, 'like'))).status).toBe(200);
    expect((await bed.post(reaction(as(bed.scene, bed.approver), request.cardId, '2705_whiteheavycheckmark'))).status).toBe(200);
    const counted = await bed.connector.waitFor((c) => c.kind === 'update' && c.activityId === request.cardId);
    expect(JSON.stringify(counted.body)).toContain('1 of 2 so far (Bo Approver)');
    expect(replies(bed, 'pong')).toEqual([]);

    expect((await bed.post(reaction(as(bed.scene, second), request.cardId, 'checkmark'))).status).toBe(200);
    await bed.connector.waitFor((c) => c.kind === 'reply' && c.body?.text === 'pong');
    const [approved] = await bed.audit('approval.approved');
    expect(approved?.detail).toMatchObject({ approvers: [`teams:user:${bed.approver.aadObjectId}`, `teams:user:${second.aadObjectId}`] });
    expect((await bed.audit('approval.granted')).map((e) => e.detail?.via)).toEqual(['reaction', 'reaction']);
  });
});
