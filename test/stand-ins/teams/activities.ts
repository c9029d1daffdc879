import { randomBytes, randomUUID } from 'node:crypto';

/** Who and where a test conversation happens: one tenant, one team with a channel, one user, one bot. */
export interface TeamsScene {
  appId: string;
  botId: string;
  botName: string;
  serviceUrl: string;
  tenantId: string;
  teamId: string;
  channelId: string;
  user: { id: string; aadObjectId: string; name: string };
}

export type Activity = Record<string, unknown>;

let sequence = 0;

/** A Teams message id: milliseconds since the epoch, like the real ones, unique within the process. */
export function messageId(): string {
  sequence += 1;
  return String(Date.now() * 1000 + (sequence % 1000));
}

export function createScene(serviceUrl: string, overrides: Partial<TeamsScene> = {}): TeamsScene {
  const appId = overrides.appId ?? randomUUID();
  return {
    appId,
    botId: `28:${appId}`,
    botName: 'opsroom',
    serviceUrl,
    tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
    teamId: `19:${randomBytes(16).toString('hex')}@thread.tacv2`,
    channelId: `19:${randomBytes(16).toString('hex')}@thread.tacv2`,
    user: { id: `29:${randomBytes(20).toString('base64url')}`, aadObjectId: randomUUID(), name: 'Dana Operator' },
    ...overrides,
  };
}

function common(scene: TeamsScene, conversation: Activity, id = messageId()): Activity {
  return {
    id,
    channelId: 'msteams',
    serviceUrl: scene.serviceUrl,
    timestamp: new Date().toISOString(),
    from: { ...scene.user },
    recipient: { id: scene.botId, name: scene.botName },
    conversation,
    channelData: { tenant: { id: scene.tenantId } },
  };
}

function channelConversation(scene: TeamsScene, threadRoot: string): Activity {
  return { isGroup: true, conversationType: 'channel', tenantId: scene.tenantId, id: `${scene.channelId};messageid=${threadRoot}` };
}

function channelData(scene: TeamsScene): Activity {
  return { teamsChannelId: scene.channelId, teamsTeamId: scene.teamId, channel: { id: scene.channelId }, team: { id: scene.teamId }, tenant: { id: scene.tenantId } };
}

export function personalConversation(scene: TeamsScene): Activity {
  return { conversationType: 'personal', tenantId: scene.tenantId, id: `a:1${randomBytes(24).toString('base64url')}` };
}

/** A channel post (or, with `threadRoot`, a reply in a thread) that @mentions the bot first, as Teams sends it. */
export function channelMessage(scene: TeamsScene, text: string, options: { mentionBot?: boolean; threadRoot?: string; id?: string } = {}): Activity {
  const id = options.id ?? messageId();
  const mention = options.mentionBot ?? true;
  const tag = `<at>${scene.botName}</at>`;
  return {
    ...common(scene, channelConversation(scene, options.threadRoot ?? id), id),
    type: 'message',
    text: mention ? `${tag} ${text}` : text,
    textFormat: 'plain',
    entities: mention ? [{ type: 'mention', text: tag, mentioned: { id: scene.botId, name: scene.botName } }] : [],
    channelData: channelData(scene),
  };
}

export function personalMessage(scene: TeamsScene, text: string, conversation = personalConversation(scene)): Activity {
  return { ...common(scene, conversation), type: 'message', text, textFormat: 'plain' };
}

/** Action.Execute pressed on the bot's card `cardId`. */
export function executeInvoke(scene: TeamsScene, cardId: string, data: unknown, options: { verb?: string; id?: string; threadRoot?: string } = {}): Activity {
  return {
    ...common(scene, channelConversation(scene, options.threadRoot ?? cardId), options.id ?? `f:${randomBytes(8).toString('hex')}`),
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId: cardId,
    value: { action: { type: 'Action.Execute', id: 'button', verb: options.verb ?? 'approve', data }, trigger: 'manual' },
    channelData: channelData(scene),
  };
}

export function reaction(scene: TeamsScene, messageIdReacted: string, type: string, added = true): Activity {
  return {
    ...common(scene, channelConversation(scene, messageIdReacted), `f:${randomBytes(4).toString('hex')}`),
    type: 'messageReaction',
    replyToId: messageIdReacted,
    [added ? 'reactionsAdded' : 'reactionsRemoved']: [{ type }],
    channelData: channelData(scene),
  };
}

/** The bot installed in the team: conversationUpdate on the channel with the bot among membersAdded. */
export function botInstalled(scene: TeamsScene): Activity {
  return {
    ...common(scene, { isGroup: true, conversationType: 'channel', tenantId: scene.tenantId, id: scene.channelId }, `f:${randomBytes(8).toString('hex')}`),
    type: 'conversationUpdate',
    membersAdded: [{ id: scene.botId }],
    channelData: { ...channelData(scene), eventType: 'teamMemberAdded' },
  };
}

export interface PostResult {
  status: number;
  body: unknown;
}

/** POSTs an activity (or any raw body) to the bot endpoint as the Bot Framework would. */
export async function postActivity(url: string, body: Activity | string, authorization?: string): Promise<PostResult> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8', ...(authorization ? { authorization } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text.length > 0 ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON: keep the text.
  }
  return { status: response.status, body: parsed };
}
