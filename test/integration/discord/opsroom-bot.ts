import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { AuditLog } from '../../../src/audit/audit-log.js';
import type { ConfigInput, OpsroomConfig } from '../../../src/config/config-schema.js';
import { validateConfig } from '../../../src/config/load-config.js';
import { OpsroomApp } from '../../../src/di/opsroom-app.js';
import { createTestLogger, type TestLogger } from '../../fakes/test-logger.js';
import { DiscordStandIn, IDS, type StandInCall, type StandInOptions } from '../../stand-ins/discord/index.js';
import { manifest, pluginFolders } from '../../support/plugin-folder.js';

export const POST_MESSAGE = 'POST /channels/{channel_id}/messages';
export const EDIT_MESSAGE = 'PATCH /channels/{channel_id}/messages/{message_id}';
export const CALLBACK = 'POST /interactions/{interaction_id}/{interaction_token}/callback';
export const GUILD_COMMANDS = 'PUT /applications/{application_id}/guilds/{guild_id}/commands';
export const OWN_REACTION = 'PUT /channels/{channel_id}/messages/{message_id}/reactions/{emoji_name}/@me';

/** The answer of `big`: 102 lines of 49 characters, cut to exactly 5,000 characters. */
export const BIG_ANSWER = Array.from({ length: 102 }, (_, i) => `line ${String(i).padStart(5, '0')} ${'x'.repeat(38)}`).join('\n').slice(0, 5_000);

/** What `shout` answers: every kind of mention Discord has. */
export const SHOUT = `@everyone @here <@&${IDS.roles.operator}> <@${IDS.users.bob}> deploy finished`;

/** The sandboxed plugin the whole-bot tests call; each command shows one thing about Discord. */
export const OPS_PLUGIN = {
  manifest: manifest('ops', {
    commands: [
      { name: 'echo', description: 'Repeats the text', args: [{ name: 'text', type: 'rest', required: true }] },
      {
        name: 'scale', description: 'Scales a service', risk: 'low',
        args: [
          { name: 'service', type: 'string', required: true, description: 'the service' },
          { name: 'replicas', type: 'int', required: true, description: 'how many' },
          { name: 'env', type: 'enum', values: ['staging', 'prod'], required: true },
          { name: 'canary', type: 'bool', flag: true },
        ],
      },
      { name: 'slow', description: 'Answers after a while', args: [{ name: 'ms', type: 'int', required: true }] },
      { name: 'big', description: 'A 5,000-character answer', args: [] },
      { name: 'shout', description: 'An answer full of mentions', args: [] },
      {
        name: 'deploy', description: 'Deploys a service', risk: 'high',
        args: [{ name: 'service', type: 'string', required: true }, { name: 'env', type: 'enum', values: ['staging', 'prod'], required: true }],
      },
    ],
  }),
  code: `export default { commands: {
    async echo(ctx, args) { return args.text; },
    async scale(ctx, args) {
      return 'scaled ' + args.service + ' to ' + args.replicas + ' (' + typeof args.replicas + ') in ' + args.env + (args.canary ? ' as a canary' : '');
    },
    async slow(ctx, args) { await new Promise((resolve) => setTimeout(resolve, args.ms)); return 'slept ' + args.ms + ' ms'; },
    async big() {
      const lines = [];
      for (let i = 0; i < 102; i++) lines.push('line ' + String(i).padStart(5, '0') + ' ' + 'x'.repeat(38));
      return lines.join('\\n').slice(0, 5000);
    },
    async shout() { return ${JSON.stringify(SHOUT)}; },
    async deploy(ctx, args) { return 'deployed ' + args.service + ' to ' + args.env + ' for ' + ctx.invocation.user.name; },
  } };`,
};

/** Roles from Discord roles only: the operator role runs commands, the approver role approves. Carol has neither. */
export const DISCORD_RBAC: ConfigInput['rbac'] = {
  roles: {
    operator: { permissions: ['*', '!rbac:*'] },
    approver: { permissions: ['approve'] },
    // Held by nobody here; named because the bundled approval policy of `plugin install` asks for it.
    admin: { permissions: ['*'] },
  },
  bindings: [
    { group: `discord:role:${IDS.roles.operator}`, roles: ['operator'] },
    { group: `discord:role:${IDS.roles.approver}`, roles: ['approver'] },
  ],
};

/** The configuration of a whole opsroom on Discord against the stand-in, as a file would hold it. */
export function discordConfig(standIn: DiscordStandIn, dir: string, pluginDir: string, extra: ConfigInput = {}, discord: Record<string, unknown> = {}): ConfigInput {
  const tokenFile = join(dir, 'discord-token');
  writeFileSync(tokenFile, `${standIn.token}\n`);
  return {
    ...extra,
    adapters: { local: { enabled: false }, discord: { enabled: true, apiBaseUrl: standIn.apiBaseUrl, tokenFile, guildId: IDS.guild, ...discord } },
    rbac: DISCORD_RBAC,
    storage: { sqlitePath: join(dir, 'opsroom.db') },
    http: { enabled: false },
    plugins: { bundled: false, paths: [pluginDir], runners: 1, grants: { ops: 'all' } },
  };
}

export interface DiscordBot {
  standIn: DiscordStandIn;
  /** The running opsroom (a new one after `restart`). */
  readonly app: OpsroomApp;
  logger: TestLogger;
  config: OpsroomConfig;
  /** A member says something in #ops (alice unless told). */
  say(content: string, author?: string): string;
  /** The first successful reply to a message (a channel message referencing it). */
  replyTo(messageId: string, timeoutMs?: number): Promise<StandInCall>;
  /** Every successful reply to a message so far. */
  repliesTo(messageId: string): StandInCall[];
  /** How many times the audit log saw the command run. */
  executions(command: string): Promise<number>;
  /** Stops opsroom and starts it again on the same database and stand-in (empty discord.js caches). */
  restart(): Promise<OpsroomApp>;
}

export const isReplyTo = (messageId: string) => (c: StandInCall): boolean =>
  c.route === POST_MESSAGE && c.status === 200 && c.body?.message_reference?.message_id === messageId;

/** A whole opsroom (storage, RBAC, approvals, the sandbox, the ops plugin) with the real Discord adapter, on the stand-in. */
export interface BotOptions {
  standIn?: StandInOptions;
  config?: ConfigInput;
  /** Settings of `adapters.discord` besides those pointing it at the stand-in. */
  discord?: Record<string, unknown>;
  /** Error log lines the test expects (anything else logged at error fails it). */
  expectErrors?: string[];
}

export async function startDiscordBot(options: BotOptions = {}): Promise<DiscordBot> {
  const standIn = await DiscordStandIn.start(options.standIn);
  const dir = mkdtempSync(join(tmpdir(), 'opsroom-discord-'));
  const logger = createTestLogger('warn');
  for (const expected of options.expectErrors ?? []) logger.expectErrors(expected);
  const config = validateConfig(discordConfig(standIn, dir, pluginFolders({ ops: OPS_PLUGIN }), options.config, options.discord), 'test configuration');
  let app: OpsroomApp | undefined;
  onTestFinished(async () => {
    await app?.stop();
    await standIn.stop();
    rmSync(dir, { recursive: true, force: true });
    logger.assertNoErrors();
  });
  app = await OpsroomApp.start({ config, logger, http: false });
  // The first bulk overwrite of the slash commands follows READY; waiting for it keeps every test's calls in one order.
  await standIn.waitForCall((c) => c.route === GUILD_COMMANDS, 10_000);
  return {
    standIn, logger, config,
    get app() {
      return app as OpsroomApp;
    },
    say: (content, author = IDS.users.alice) => standIn.sendMessage({ channelId: IDS.channels.ops, author, content }).id,
    replyTo: (messageId, timeoutMs = 10_000) => standIn.waitForCall(isReplyTo(messageId), timeoutMs),
    repliesTo: (messageId) => standIn.calls.filter(isReplyTo(messageId)),
    executions: async (command) => (await (app as OpsroomApp).get<AuditLog>(AuditLog).list({ action: 'command.executed', command, limit: 1000 })).length,
    async restart() {
      await app?.stop();
      app = undefined;
      app = await OpsroomApp.start({ config, logger, http: false });
      return app;
    },
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
