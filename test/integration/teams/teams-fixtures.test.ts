import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ActionEvent, MemberEvent, MessageEvent, ReactionEvent } from '../../../src/core/chat-event.js';
import type { Activity } from '../../stand-ins/teams/activities.js';
import { startTeamsBed, type TeamsBed } from './teams-bed.js';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

function fixture(name: string): Activity {
  return JSON.parse(readFileSync(new URL(`../../stand-ins/teams/fixtures/${name}`, import.meta.url), 'utf8')) as Activity;
}

/** Replays a recorded activity as the Bot Framework would deliver it to this bot: same body, served from the stand-in connector. */
async function replay(name: string): Promise<{ bed: TeamsBed; activity: Activity }> {
  const activity = fixture(name);
  const appId = String((activity.recipient as { id: string }).id).replace(/^28:/, '');
  const bed = await startTeamsBed({ scene: { appId, tenantId: TENANT } });
  activity.serviceUrl = bed.connector.serviceUrl;
  expect((await bed.post(activity)).status).toBe(200);
  return { bed, activity };
}

describe('TeamsAdapter with recorded Teams activities', () => {
  it('normalizes the recorded channel mention, and its reply reaches the connector at the recorded path', async () => {
    const { bed } = await replay('message-mention-channel.json');
    const [event] = (await bed.waitForEvents(1)) as MessageEvent[];
    expect(event).toMatchObject({
      type: 'message', text: 'show members', mentionsBot: true, messageId: '1571540169848', threadId: '1571540169848',
      channel: { id: 'teams:conversation:19:097e6717fd7245bdbeba6baa13840db8@thread.skype', isDirect: false },
      actor: {
        id: 'teams:user:6b703ce3-6d14-4fe6-b90c-dc5f03657ae4', name: 'Dave Taniguchi', isBot: false,
        groups: ['teams:team:19:097e6717fd7245bdbeba6baa13840db8@thread.skype', 'teams:channel:19:097e6717fd7245bdbeba6baa13840db8@thread.skype'],
      },
    });
    await bed.adapter.replyInThread({ channelId: event!.channel.id, messageId: event!.messageId, threadId: event!.threadId },
      { text: 'Total of 3 members are currently in team' });
    const recorded = fixture('outbound-replyToActivity.json') as { path: string; body: Record<string, unknown> };
    const call = await bed.connector.waitFor((c) => c.kind === 'reply');
    expect(call.path).toBe(recorded.path);
    const { text, replyToId, type, from, conversation } = recorded.body;
    expect(call.body).toMatchObject({ text, replyToId, type, from: { id: (from as { id: string }).id }, conversation: { id: (conversation as { id: string }).id } });
  });

  it('normalizes the recorded Action.Submit message into an action on the card', async () => {
    const { bed } = await replay('message-card-submit-value.json');
    const [event] = (await bed.waitForEvents(1)) as ActionEvent[];
    expect(event).toMatchObject({
      type: 'action', actionId: 'submit', value: { key: 'value' }, messageId: '1:1g3Sc3hSqAvmoAIhMskhBW8kahcBMC2urNd_TZF79abY',
      threadId: '1571537152320', actor: { id: 'teams:user:6b703ce3-6d14-4fe6-b90c-dc5f03657ae4' },
    });
  });

  it('normalizes the documented like reaction into 👍 on the reacted message', async () => {
    const { bed } = await replay('messageReaction-like.json');
    const [event] = (await bed.waitForEvents(1)) as ReactionEvent[];
    expect(event).toMatchObject({
      type: 'reaction', emoji: '👍', added: true, messageId: '1575667808184',
      actor: { id: 'teams:user:c33aafc4-646d-4543-9d4c-abd28e4d2110' },
      channel: { id: 'teams:conversation:19:3629591d4b774aa08cb0887902eee7c1@thread.skype' },
    });
  });

  it('normalizes the recorded team member addition and captures the team conversation', async () => {
    const { bed } = await replay('conversationUpdate-teamMemberAdded.json');
    const [event] = (await bed.waitForEvents(1)) as MemberEvent[];
    expect(event).toMatchObject({
      type: 'member', change: 'joined', actor: {
        id: 'teams:user:e830a11b-50fe-465a-810c-5c308099ca2b',
        groups: ['teams:team:19:097e6717fd7245bdbeba6baa13840db8@thread.skype', 'teams:group:2c02739d-4041-4ef2-b8b8-75508bc04808'],
      },
    });
    expect(bed.adapter.conversationReferences()).toMatchObject([{
      channelId: 'teams:conversation:19:097e6717fd7245bdbeba6baa13840db8@thread.skype', conversationType: 'channel',
      tenantId: TENANT, teamId: '19:097e6717fd7245bdbeba6baa13840db8@thread.skype', bot: { id: '28:eac5e5c6-ab14-4f50-80cb-49213fe51b1a' },
    }]);
  });
});
