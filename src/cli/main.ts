import 'reflect-metadata';
import { Command } from 'commander';
import { runAuditExport, runAuditVerify } from './audit-commands.js';
import { runAutomate } from './automate-command.js';
import { runConfigCheck } from './config-command.js';
import { runConfigReload } from './config-reload-cli.js';
import { runStart } from './start-command.js';
import { runRolesGrant, runRolesList, runRolesRevoke, runRolesShow, runRolesUnlink } from './roles-commands.js';
import { runTry } from './try-command.js';
import { runTeamsManifest } from './teams-commands.js';
import { pluginActions, runPluginAdmin } from './plugin-cli.js';
import { pluginInstallActions, runPluginSearch } from './plugin-install-cli.js';
import { runPluginTests } from '../plugins/harness/plugin-test-command.js';
import { runDiscordRegister } from './discord-commands.js';

const program = new Command('opsroom')
  .description('ChatOps for Discord and Microsoft Teams')
  .showHelpAfterError()
  .exitOverride();

let exitCode = 0;
const done = (code: number) => { exitCode = code; };

program.command('start')
  .description('run opsroom: the configured adapters, the terminal console, the HTTP server')
  .option('-c, --config <file>', 'configuration file (default: OPSROOM_CONFIG or ./opsroom.yaml if present)')
  .option('--as <user>', 'the demo user the console speaks as')
  .option('--role <role>', 'all (default), gateway (platform connections and HTTP) or worker (runs commands); gateway and worker need REDIS_URL')
  .action(async (o: { config?: string; as?: string; role?: string }) => done(await runStart({ ...o, http: true })));

program.command('shell')
  .description('the terminal console alone; reads one command per line when input is not a terminal')
  .option('-c, --config <file>', 'configuration file')
  .option('--as <user>', 'the demo user to speak as', undefined)
  .action(async (o: { config?: string; as?: string }) => done(await runStart({ ...o, http: false })));

const config = program.command('config').description('configuration tools');
config.command('check [file]').description('validate a configuration file without starting')
  .action((file?: string) => done(runConfigCheck(file)));
config.command('reload').description('ask the running opsroom to apply the file\'s commands now, and print what was added, changed or refused')
  .option('-c, --config <file>', 'configuration file (default: OPSROOM_CONFIG or ./opsroom.yaml if present)')
  .action(async (o: { config?: string }) => done(await runConfigReload(o)));

program.command('automate <wish...>')
  .description('turn a wishlist entry into a starting point: a plugin folder, or a commands: entry with --runbook or --http')
  .option('--runbook <name>', 'a commands: entry running this runbook (its parameters become the arguments)')
  .option('--http <url>', 'a commands: entry calling this URL ({{args.arg1}} may stand in its path and query)')
  .option('--method <method>', 'the HTTP method for --http', 'GET')
  .option('--write', 'add the commands: entry to the configuration file (a running opsroom applies it) instead of printing it')
  .option('-o, --out <dir>', 'where to write the plugin folder (default: ./<plugin name>)')
  .option('-c, --config <file>', 'configuration file')
  .action(async (wish: string[], o: { runbook?: string; http?: string; method?: string; write?: boolean; out?: string; config?: string }) => done(await runAutomate(wish.join(' '), o)));

const audit = program.command('audit').description('the tamper-evident audit log');
audit.command('verify').description('check the hash chain; exits non-zero naming the first bad entry')
  .option('-c, --config <file>', 'configuration file')
  .action(async (o: { config?: string }) => done(await runAuditVerify(o)));
audit.command('export').description('write the audit log')
  .option('-c, --config <file>', 'configuration file')
  .option('--format <format>', 'output format', 'jsonl')
  .option('-o, --out <file>', 'write to a file instead of stdout')
  .action(async (o: { config?: string; format: string; out?: string }) => done(await runAuditExport(o)));

const plugin = program.command('plugin').description('plugins: list, inspect, grant, revoke, enable, disable, test, install, upgrade, remove, sync, search');
const configOption = ['-c, --config <file>', 'configuration file'] as const;
plugin.command('list').description('the plugins and whether they loaded').option(...configOption)
  .action(async (o: { config?: string }) => done(await runPluginAdmin(pluginActions.list, o)));
plugin.command('info <name>').description('what a plugin asks for and was granted, its commands, limits and load status').option(...configOption)
  .action(async (name: string, o: { config?: string }) => done(await runPluginAdmin(pluginActions.info(name), o)));
plugin.command('grant <name> <capability>').description('grant a capability the plugin asks for (or "all")').option(...configOption)
  .action(async (name: string, grant: string, o: { config?: string }) => done(await runPluginAdmin(pluginActions.grant(name, grant), o)));
plugin.command('revoke <name> <capability>').description('take a capability back (or "all")').option(...configOption)
  .action(async (name: string, grant: string, o: { config?: string }) => done(await runPluginAdmin(pluginActions.revoke(name, grant), o)));
plugin.command('enable <name>').description('enable a plugin').option(...configOption)
  .action(async (name: string, o: { config?: string }) => done(await runPluginAdmin(pluginActions.enable(name), o)));
plugin.command('disable <name>').description('disable a plugin').option(...configOption)
  .action(async (name: string, o: { config?: string }) => done(await runPluginAdmin(pluginActions.disable(name), o)));
plugin.command('install <source>').description('install a plugin, disabled: a folder, https://...tgz#sha256=<hex>, or npm:<name>@<version>').option(...configOption)
  .action(async (source: string, o: { config?: string }) => done(await pluginInstallActions.install(source, o)));
plugin.command('upgrade <name> [source]').description('upgrade an installed plugin; shows the capability diff and keeps the old grants').option(...configOption)
  .action(async (name: string, source: string | undefined, o: { config?: string }) => done(await pluginInstallActions.upgrade(name, source, o)));
plugin.command('remove <name>').description('remove an installed plugin: code and grants').option('--purge', 'also delete what it stored').option(...configOption)
  .action(async (name: string, o: { config?: string; purge?: boolean }) => done(await pluginInstallActions.remove(name, o)));
plugin.command('sync').description('install exactly the plugins of opsroom-plugins.lock.json, integrity checked').option(...configOption)
  .action(async (o: { config?: string }) => done(await pluginInstallActions.sync(o)));
plugin.command('search [text...]').description('search the registry for packages with the keyword opsroom-plugin').option(...configOption)
  .action(async (text: string[], o: { config?: string }) => done(await runPluginSearch(text.join(' '), o)));
plugin.command('test <dir>').description('load a plugin folder in the real sandbox and play its scripted conversations (tests/*.yaml)')
  .option('-f, --file <conversation>', 'one conversation file instead of tests/*.yaml')
  .action(async (dir: string, o: { file?: string }) => done(await runPluginTests(dir, o)));

program.command('try <line>')
  .description('dry-run a command line: how it parses, what it hits, whether the user may run it, which approval applies')
  .requiredOption('--as <user>', 'the user (a demo name such as alice, or a qualified id such as discord:user:123)')
  .option('-c, --config <file>', 'configuration file')
  .action(async (line: string, o: { as: string; config?: string }) => done(await runTry(line, o)));

const teams = program.command('teams').description('Microsoft Teams tools');
teams.command('manifest').description('write the Teams app package (manifest, icons, the command list from the registry) to upload')
  .option('-o, --out <file>', 'where to write the zip', 'opsroom-teams.zip')
  .option('--app-version <x.y.z>', 'the package version (default: adapters.teams.manifest.version, else 1.0.0)')
  .option('-c, --config <file>', 'configuration file')
  .action(async (o: { out: string; appVersion?: string; config?: string }) => done(await runTeamsManifest(o)));

const roles = program.command('roles').description('roles and identity links, changed as the actor "system" (audited)');
roles.command('list', { isDefault: true }).description('every role, its permissions and who holds it')
  .option('-c, --config <file>', 'configuration file')
  .action(async (o: { config?: string }) => done(await runRolesList(o)));
roles.command('show <user>').description('the roles and linked identities of a user (discord:user:123, or a console name)')
  .option('-c, --config <file>', 'configuration file')
  .action(async (user: string, o: { config?: string }) => done(await runRolesShow(user, o)));
roles.command('grant <user> <role>').description('give a user a role of rbac.roles')
  .option('-c, --config <file>', 'configuration file')
  .action(async (user: string, role: string, o: { config?: string }) => done(await runRolesGrant(user, role, o)));
roles.command('revoke <user> <role>').description('take a role away (hides a configuration binding)')
  .option('-c, --config <file>', 'configuration file')
  .action(async (user: string, role: string, o: { config?: string }) => done(await runRolesRevoke(user, role, o)));
roles.command('unlink <user>').description('remove the links of a user to identities on other platforms')
  .option('-c, --config <file>', 'configuration file')
  .action(async (user: string, o: { config?: string }) => done(await runRolesUnlink(user, o)));

const discord = program.command('discord').description('Discord: slash commands');
discord.command('register').description('register every command as a Discord slash command (a bulk overwrite), in one guild or globally')
  .option('--guild <id>', 'the guild to register in, where changes show at once (default: adapters.discord.guildId; else globally)')
  .option('-c, --config <file>', 'configuration file')
  .action(async (o: { guild?: string; config?: string }) => done(await runDiscordRegister(o)));

try {
  await program.parseAsync(process.argv);
} catch (error) {
  const code = (error as { exitCode?: number }).exitCode;
  exitCode = typeof code === 'number' ? code : 1;
}
process.exitCode = exitCode;
// Sandbox runners, database pools and timers must not keep a finished command alive.
setTimeout(() => process.exit(exitCode), 2_000).unref();
