import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { ConfigInput } from '../../../src/config/config-schema.js';
import { DiscordStandIn, IDS } from '../../stand-ins/discord/index.js';
import { pluginFolders } from '../../support/plugin-folder.js';
import { runCli } from '../../support/run-cli.js';
import { OPS_PLUGIN, discordConfig } from './opsroom-bot.js';

const GLOBAL_COMMANDS = 'PUT /applications/{application_id}/commands';
const GUILD_COMMANDS = 'PUT /applications/{application_id}/guilds/{guild_id}/commands';

/** A stand-in and a folder holding opsroom.yaml for it (no token in it: the token comes from DISCORD_TOKEN). */
async function setup(change: (discord: Record<string, unknown>) => void = () => undefined): Promise<{ standIn: DiscordStandIn; dir: string }> {
  const standIn = await DiscordStandIn.start();
  const dir = mkdtempSync(join(tmpdir(), 'opsroom-discord-register-'));
  onTestFinished(async () => {
    await standIn.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const config: ConfigInput = discordConfig(standIn, dir, pluginFolders({ ops: OPS_PLUGIN }));
  const { tokenFile: _file, ...discord } = config.adapters?.discord ?? {};
  change(discord);
  writeFileSync(join(dir, 'opsroom.yaml'), JSON.stringify({ ...config, adapters: { ...config.adapters, discord } }));
  return { standIn, dir };
}

describe('opsroom discord register', () => {
  it('registers every command in the guild given, with a bulk overwrite Discord\'s OpenAPI description accepts', { timeout: 30_000 }, async () => {
    const { standIn, dir } = await setup();
    const result = await runCli(['discord', 'register', '--guild', IDS.guild], { cwd: dir, env: { DISCORD_TOKEN: standIn.token } });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Registered \\d+ Discord slash commands in guild ${IDS.guild}: .*/echo.*/deploy\\n$`));
    const [put, ...more] = standIn.callsTo(GUILD_COMMANDS);
    expect(more).toEqual([]);
    expect(put).toMatchObject({ status: 200, authorized: true, params: { application_id: IDS.users.bot, guild_id: IDS.guild } });
    expect(put?.problems).toEqual([]);
    const scale = (put?.body as Array<{ name: string; options: Array<{ name: string; type: number }> }>).find((c) => c.name === 'scale');
    expect(scale?.options.map((o) => [o.name, o.type])).toEqual([['service', 3], ['replicas', 4], ['env', 3], ['canary', 5]]);
    expect(standIn.model.commandsOf(IDS.guild).map((c) => c.name)).toEqual(expect.arrayContaining(['echo', 'deploy', 'help', 'approve']));
    expect(standIn.gatewayEvents).toEqual([]);
    standIn.assertNoViolations();
  });

  it('registers globally when neither --guild nor adapters.discord.guildId names a guild', { timeout: 30_000 }, async () => {
    const { standIn, dir } = await setup((discord) => { delete discord.guildId; });
    const result = await runCli(['discord', 'register'], { cwd: dir, env: { DISCORD_TOKEN: standIn.token } });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Registered \d+ Discord slash commands globally: /);
    expect(standIn.callsTo(GLOBAL_COMMANDS)).toHaveLength(1);
    expect(standIn.callsTo(GUILD_COMMANDS)).toEqual([]);
    expect(standIn.model.globalCommands.map((c) => c.name)).toContain('scale');
    standIn.assertNoViolations();
  });

  it('refuses a guild that is not an id, and a missing token, saying what to do', { timeout: 30_000 }, async () => {
    const { standIn, dir } = await setup();
    const badGuild = await runCli(['discord', 'register', '--guild', 'ops-team'], { cwd: dir, env: { DISCORD_TOKEN: standIn.token } });
    expect(badGuild.code).toBe(2);
    expect(badGuild.stderr).toBe('opsroom: --guild "ops-team" is not a guild id (expected 15 to 21 digits; Developer Mode: right click the server > Copy Server ID)\n');
    const noToken = await runCli(['discord', 'register'], { cwd: dir });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain('adapters.discord: no bot token (expected DISCORD_TOKEN in the environment, or adapters.discord.tokenFile naming a file that holds it;');
    const wrongToken = await runCli(['discord', 'register'], { cwd: dir, env: { DISCORD_TOKEN: 'not-the-token' } });
    expect(wrongToken.code).toBe(2);
    expect(wrongToken.stderr).toBe('opsroom: Discord refused the bot token (DISCORD_TOKEN or adapters.discord.tokenFile)\n');
    expect(standIn.calls.filter((c) => c.route.startsWith('PUT'))).toEqual([]);
    standIn.assertNoViolations();
  });
});
