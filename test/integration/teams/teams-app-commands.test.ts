import { describe, expect, it } from 'vitest';
import { botInstalled, channelMessage, personalMessage } from '../../stand-ins/teams/activities.js';
import { settle } from '../../stand-ins/teams/wait-for.js';
import { manifest, pluginFolders } from '../../support/plugin-folder.js';
import { startTeamsApp, teamsUser } from './teams-app-bed.js';

/** A plugin that posts to a channel alias: what a GitHub, CI or alert feed does. */
const feed = {
  manifest: manifest('feed', {
    commands: [{
      name: 'announce', description: 'Posts to a channel alias',
      args: [{ name: 'alias', type: 'string', required: true }, { name: 'text', type: 'rest', required: true }], risk: 'low',
    }],
    capabilities: { post: ['builds', 'deploys'] },
  }),
  code: 'export default { commands: { async announce(ctx, args) { await ctx.post(args.alias, args.text); return "posted to " + args.alias; } } };',
};

describe('opsroom on Teams', () => {
  it('answers a channel message that @mentions the bot with a reply in that message\'s thread', async () => {
    const bed = await startTeamsApp();
    const message = channelMessage(bed.scene, 'ping');
    expect((await bed.post(message)).status).toBe(200);
    const reply = await bed.connector.waitFor((c) => c.kind === 'reply');
    expect(reply.conversationId).toBe(`${bed.scene.channelId};messageid=${String(message.id)}`);
    expect(reply.activityId).toBe(message.id);
    expect(reply.body).toMatchObject({ type: 'message', text: 'pong', replyToId: message.id, conversation: { conversationType: 'channel' } });
    expect(reply.authorization).toBe('Bearer stand-in-connector-token');
    const [executed] = await bed.audit('command.executed');
    expect(executed).toMatchObject({
      actor: `teams:user:${bed.scene.user.aadObjectId}`, platform: 'teams', channel: `teams:conversation:${bed.scene.channelId}`, command: 'ping',
    });
  });

  it('answers a command in a personal chat, knowing the user by AAD object id and their role binding', async () => {
    const bed = await startTeamsApp();
    const message = personalMessage(bed.scene, 'whoami');
    const conversationId = (message.conversation as { id: string }).id;
    expect((await bed.post(message)).status).toBe(200);
    const reply = await bed.connector.waitFor((c) => c.kind === 'reply');
    expect(reply.conversationId).toBe(conversationId);
    const text = String(reply.body?.text);
    expect(text).toContain(`(teams:user:${bed.scene.user.aadObjectId}) on teams`);
    expect(text).toContain('Roles: operator');
  });

  it('ignores a message that does not mention the bot in a channel', async () => {
    const bed = await startTeamsApp();
    expect((await bed.post(channelMessage(bed.scene, 'ping', { mentionBot: false }))).status).toBe(200);
    await settle(300);
    expect(bed.connector.calls).toEqual([]);
  });

  it('answers a bad token with 401 and a non-activity with 400 through the real package loaded by name, runs nothing, and lives on', async () => {
    const bed = await startTeamsApp({ realPackage: true });
    const message = channelMessage(bed.scene, 'ping');
    const forged = `Bearer ${bed.issuer.mintChannelToken({ appId: bed.scene.appId, serviceUrl: bed.scene.serviceUrl, claims: { aud: teamsUser('x').aadObjectId } })}`;
    expect(await bed.post(message, forged)).toEqual({ status: 401, body: { error: 'unauthorized' } });
    expect(await bed.post(message, null)).toEqual({ status: 401, body: { error: 'unauthorized' } });
    expect((await bed.post('{"not":"an activity"}')).status).toBe(400);
    await settle(200);
    expect(bed.connector.calls).toEqual([]);
    expect(await bed.audit('command.received')).toEqual([]);
    expect((await fetch(bed.endpoint.replace('/api/messages', '/healthz'))).status).toBe(200);
  });

  it('ignores and audits an authenticated activity from a tenant that is not allowed', async () => {
    const bed = await startTeamsApp();
    const stranger = { ...bed.scene, tenantId: '0b2a0f6e-5c4d-4e3f-8a9b-1c2d3e4f5a6b' };
    const message = channelMessage(stranger, 'ping');
    (message.channelData as { tenant: { id: string } }).tenant.id = stranger.tenantId;
    expect((await bed.post(message)).status).toBe(200);
    const refused = await waitForAudit(bed, 'event.refused');
    expect(refused).toMatchObject({
      actor: `teams:user:${bed.scene.user.aadObjectId}`, platform: 'teams', channel: `teams:conversation:${bed.scene.channelId}`, outcome: 'refused',
      detail: { tenantId: stranger.tenantId, activityType: 'message' },
    });
    expect(bed.connector.calls).toEqual([]);
    expect(await bed.audit('command.received')).toEqual([]);
  });

  it('posts a plugin feed proactively into the Teams channel an alias maps to, also after a restart', async () => {
    const plugins = pluginFolders({ feed });
    const bed = await startTeamsApp({ config: () => ({ plugins: { bundled: false, runners: 1, paths: [plugins], grants: { feed: 'all' } } }) });
    expect((await bed.post(botInstalled(bed.scene))).status).toBe(200);
    await bed.restart();
    const dm = personalMessage(bed.scene, 'announce builds Build 42 of web passed');
    expect((await bed.post(dm)).status).toBe(200);
    const post = await bed.connector.waitFor((c) => c.kind === 'send', { timeoutMs: 15_000 });
    expect(post.conversationId).toBe(bed.scene.channelId);
    expect(post.body).toMatchObject({ type: 'message', text: 'Build 42 of web passed', conversation: { id: bed.scene.channelId, conversationType: 'channel' } });
    const answer = await bed.connector.waitFor((c) => c.kind === 'reply');
    expect(answer.body?.text).toBe('posted to builds');
  });

  it('tells the user which alias has no conversation reference and how to fix it', async () => {
    const plugins = pluginFolders({ feed });
    const unseen = '19:0123456789abcdef0123456789abcdef@thread.tacv2';
    const bed = await startTeamsApp({
      config: (scene) => ({
        plugins: { bundled: false, runners: 1, paths: [plugins], grants: { feed: 'all' } },
        channels: { builds: { teams: `teams:conversation:${scene.channelId}` }, deploys: { teams: `teams:conversation:${unseen}` } },
      }),
    });
    expect((await bed.post(personalMessage(bed.scene, 'announce deploys web 1.4 is live'))).status).toBe(200);
    const answer = await bed.connector.waitFor((c) => c.kind === 'reply', { timeoutMs: 15_000 });
    const text = String(answer.body?.text);
    expect(text).toContain('post to channel alias deploys failed on teams');
    expect(text).toContain(`no conversation reference for teams:conversation:${unseen}`);
    expect(text).toContain('install the app in that channel or mention the bot there once');
    expect(bed.connector.calls.filter((c) => c.kind === 'send')).toEqual([]);
  });

  it('forgets a channel\'s reference when the app is removed from the team, so a later post says so', async () => {
    const plugins = pluginFolders({ feed });
    const bed = await startTeamsApp({ config: () => ({ plugins: { bundled: false, runners: 1, paths: [plugins], grants: { feed: 'all' } } }) });
    await bed.post(botInstalled(bed.scene));
    const removed = { ...botInstalled(bed.scene), membersAdded: undefined, membersRemoved: [{ id: bed.scene.botId }] };
    expect((await bed.post(removed)).status).toBe(200);
    await bed.restart();
    await bed.post(personalMessage(bed.scene, 'announce builds still there?'));
    const answer = await bed.connector.waitFor((c) => c.kind === 'reply', { timeoutMs: 15_000 });
    expect(String(answer.body?.text)).toContain(`no conversation reference for teams:conversation:${bed.scene.channelId}`);
  });
});

async function waitForAudit(bed: Awaited<ReturnType<typeof startTeamsApp>>, action: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 100; i++) {
    const [entry] = await bed.audit(action);
    if (entry) return entry as unknown as Record<string, unknown>;
    await settle(20);
  }
  throw new Error(`no ${action} audit entry`);
}
