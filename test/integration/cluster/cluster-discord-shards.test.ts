import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { APIMessage } from 'discord-api-types/v10';
import { describe, expect, it, onTestFinished } from 'vitest';
import { DiscordStandIn, IDS } from '../../stand-ins/discord/index.js';
import { openClusterBed, startCli, writeEchoPlugin } from '../../support/cluster-bed.js';
import { DISCORD_RBAC, POST_MESSAGE, isReplyTo } from '../discord/opsroom-bot.js';

const PER_GUILD = 20;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Discord shards spread over gateway processes', () => {
  it('connects each shard from its own gateway and answers every message, in either guild, exactly once', async () => {
    const standIn = await DiscordStandIn.start({ shardCount: 2 });
    onTestFinished(() => standIn.stop());
    const bed = await openClusterBed();
    onTestFinished(() => bed.cleanup());
    const tokenFile = join(bed.dir, 'discord-token');
    writeFileSync(tokenFile, `${standIn.token}\n`);
    const discord = { enabled: true, apiBaseUrl: standIn.apiBaseUrl, tokenFile, guildId: IDS.guild, shardCount: 2 };
    // Alice holds the operator role in the first guild only; in the lab guild she runs commands by her own binding.
    const rbac = { ...DISCORD_RBAC, bindings: [...(DISCORD_RBAC?.bindings ?? []), { principal: `discord:user:${IDS.users.alice}`, roles: ['operator'] }] };
    const shared = { rbac, plugins: { paths: [writeEchoPlugin(bed.dir)], grants: { echo: 'all' as const } } };
    const worker = startCli('worker', bed.writeConfig('worker', shared), { logFile: join(bed.dir, 'worker.log') });
    const gateways = [0, 1].map((shard) => startCli('gateway', bed.writeConfig(`gateway${shard}`, {
      ...shared, adapters: { local: { enabled: false }, discord: { ...discord, shards: [shard] } },
    }), { logFile: join(bed.dir, `gateway${shard}.log`) }));
    onTestFinished(async () => { await Promise.all([worker, ...gateways].map((p) => p.kill('SIGKILL'))); });
    await bed.waitForNodes({ workers: 1 });
    await waitFor(async () => (await bed.waitForNodes({ workers: 1 })).filter((n) => n.platforms.includes('discord')).length === 2);

    const identified = standIn.gatewayEvents.filter((e) => e.kind === 'identify').map((e) => e.shardId).sort();
    expect(identified).toEqual([0, 1]);
    const sent: APIMessage[] = [];
    for (let i = 0; i < PER_GUILD; i++) {
      sent.push(standIn.sendMessage({ channelId: IDS.channels.ops, author: IDS.users.alice, content: `!echo ops-${i}` }));
      sent.push(standIn.sendMessage({ channelId: IDS.channels.lab, author: IDS.users.alice, content: `!echo lab-${i}` }));
    }
    await waitFor(async () => sent.every((m) => standIn.calls.some(isReplyTo(m.id))), 60_000);
    await sleep(1_500);
    for (const m of sent) {
      const replies = standIn.calls.filter(isReplyTo(m.id));
      expect(replies, `the replies to "${m.content}"`).toHaveLength(1);
      expect(replies[0]?.body?.content).toBe(m.content.replace('!', ''));
    }
    expect(standIn.callsTo(POST_MESSAGE).filter((c) => c.status === 200)).toHaveLength(2 * PER_GUILD);
    standIn.assertNoViolations();
    for (const process of [...gateways, worker]) expect(await process.stop()).toEqual({ code: 0, signal: null });
  }, 120_000);
});

async function waitFor(condition: () => Promise<boolean> | boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not true within ${timeoutMs} ms`);
    await sleep(100);
  }
}
