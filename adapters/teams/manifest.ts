import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { CommandSpec } from '../../src/core/command.js';
import { ConfigError } from '../../src/core/errors.js';
import { colorIcon, outlineIcon } from './app-package/app-icons.js';
import { buildZip } from './app-package/build-zip.js';

export const MANIFEST_VERSION = '1.29';
const MANIFEST_SCHEMA = `https://developer.microsoft.com/en-us/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`;
/** Teams shows at most ten commands per scope in its command menu. */
export const COMMANDS_PER_SCOPE = 10;
const SCOPES = ['personal', 'team', 'groupChat'] as const;

const GUID = /^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/i;
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;
const HTTPS = /^https?:\/\//i;

export interface TeamsManifestOptions {
  /** The Teams app id (a GUID of your choosing, stable across versions). */
  appId: string;
  /** The bot's Microsoft App ID. */
  botId: string;
  /** Shown in Teams; at most 30 characters. */
  name: string;
  description: string;
  commands: CommandSpec[];
  /** The app package version, x.y.z. */
  version: string;
  developer: { name: string; websiteUrl: string; privacyUrl: string; termsOfUseUrl: string };
  accentColor?: string;
  validDomains?: string[];
}

export type TeamsManifest = Record<string, unknown>;

export interface TeamsAppPackage {
  path: string;
  manifest: TeamsManifest;
  /** Commands beyond the ten Teams lists per scope; still usable, just not in the menu. */
  omittedCommands: string[];
  bytes: number;
}

function problemsOf(options: TeamsManifestOptions): string[] {
  const problems: string[] = [];
  if (!GUID.test(options.appId)) problems.push(`appId must be a GUID, got "${options.appId}"`);
  if (!GUID.test(options.botId)) problems.push(`botId must be the bot's Microsoft App ID (a GUID), got "${options.botId}"`);
  if (options.name.trim().length === 0 || options.name.length > 30) problems.push(`name must be 1 to 30 characters, got ${options.name.length}`);
  if (options.description.trim().length === 0 || options.description.length > 4000) problems.push('description must be 1 to 4000 characters');
  if (!SEMVER.test(options.version)) problems.push(`version must be x.y.z (Teams accepts no pre-release tags), got "${options.version}"`);
  const { developer } = options;
  if (developer.name.trim().length === 0 || developer.name.length > 32) problems.push('developer.name must be 1 to 32 characters');
  for (const key of ['websiteUrl', 'privacyUrl', 'termsOfUseUrl'] as const) {
    if (!HTTPS.test(developer[key])) problems.push(`developer.${key} must be an http(s) URL, got "${developer[key]}"`);
  }
  if (options.accentColor !== undefined && !/^#[0-9a-f]{6}$/i.test(options.accentColor)) {
    problems.push(`accentColor must be #rrggbb, got "${options.accentColor}"`);
  }
  return problems;
}

/** The first ten distinct commands, in the order given; the rest are named so the caller can say so. */
export function selectManifestCommands(commands: readonly CommandSpec[]): { listed: CommandSpec[]; omitted: string[] } {
  const seen = new Set<string>();
  const distinct = commands.filter((c) => !seen.has(c.name) && seen.add(c.name));
  return { listed: distinct.slice(0, COMMANDS_PER_SCOPE), omitted: distinct.slice(COMMANDS_PER_SCOPE).map((c) => c.name) };
}

/** A menu hint: the description, with the usage line when there is room. */
function hintOf(command: CommandSpec): string {
  const hint = command.usage ? `${command.description} (${command.usage})` : command.description;
  return hint.length <= 128 ? hint : `${hint.slice(0, 127)}…`;
}

function shortDescription(description: string): string {
  if (description.length <= 80) return description;
  const cut = description.slice(0, 79);
  const space = cut.lastIndexOf(' ');
  return `${space > 40 ? cut.slice(0, space) : cut}…`;
}

/** A Teams app manifest (schema 1.29) for the bot in personal chats, teams and group chats, with its command lists. */
export function buildTeamsManifest(options: TeamsManifestOptions): TeamsManifest {
  const problems = problemsOf(options);
  if (problems.length > 0) throw new ConfigError(`the Teams app manifest cannot be built:\n  ${problems.join('\n  ')}`, problems);
  const commands = selectManifestCommands(options.commands).listed.map((c) => ({ title: c.name.slice(0, 128), description: hintOf(c) }));
  return {
    $schema: MANIFEST_SCHEMA,
    manifestVersion: MANIFEST_VERSION,
    version: options.version,
    id: options.appId,
    developer: options.developer,
    name: { short: options.name, full: options.name },
    description: { short: shortDescription(options.description), full: options.description },
    icons: { color: 'color.png', outline: 'outline.png' },
    accentColor: options.accentColor ?? '#4464EE',
    bots: [{
      botId: options.botId,
      scopes: [...SCOPES],
      supportsFiles: false,
      isNotificationOnly: false,
      ...(commands.length > 0 ? { commandLists: SCOPES.map((scope) => ({ scopes: [scope], commands })) } : {}),
    }],
    permissions: ['identity', 'messageTeamMembers'],
    validDomains: options.validDomains ?? [],
  };
}

/** Writes the app package (manifest.json, color.png 192x192, outline.png 32x32) as a zip to `path`. */
export async function buildTeamsAppPackage(options: TeamsManifestOptions & { path: string }): Promise<TeamsAppPackage> {
  const manifest = buildTeamsManifest(options);
  const zip = buildZip([
    { name: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) },
    { name: 'color.png', data: colorIcon(String(manifest.accentColor)) },
    { name: 'outline.png', data: outlineIcon() },
  ]);
  await mkdir(dirname(options.path), { recursive: true });
  await writeFile(options.path, zip);
  return { path: options.path, manifest, omittedCommands: selectManifestCommands(options.commands).omitted, bytes: zip.length };
}
