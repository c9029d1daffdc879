import { z } from 'zod';
import type { AppPackageRequest, AppPackageResult } from '../../src/core/chat-adapter.js';
import { ConfigError } from '../../src/core/errors.js';
import { buildTeamsAppPackage, selectManifestCommands, type TeamsManifestOptions } from './manifest.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const httpUrl = z.string().regex(/^https?:\/\/\S+$/i, 'an http(s) URL');

/** `adapters.teams.manifest`: what Teams shows about the app; only `developer` has no sensible default. */
export const manifestSettingsSchema = z.object({
  /** The Teams app id, a GUID stable across versions; by default the bot's Microsoft App ID. */
  id: z.string().regex(GUID, 'a GUID').optional(),
  name: z.string().min(1).max(30).optional(),
  description: z.string().min(1).max(4000).optional(),
  /** Raise it for every upload: Teams refuses a package whose version it already has. */
  version: z.string().regex(/^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/, 'x.y.z').default('1.0.0'),
  developer: z.object({
    name: z.string().min(1).max(32),
    websiteUrl: httpUrl,
    privacyUrl: httpUrl,
    termsOfUseUrl: httpUrl,
  }).strict(),
  accentColor: z.string().regex(/^#[0-9a-f]{6}$/i, '#rrggbb').optional(),
  validDomains: z.array(z.string().min(1)).optional(),
}).strict();

export type ManifestSettings = z.infer<typeof manifestSettingsSchema>;

const packageSettingsSchema = z.object({
  appId: z.string().regex(GUID, 'the bot\'s Microsoft App ID, a GUID').optional(),
  manifest: manifestSettingsSchema.optional(),
}).passthrough();

function fail(problems: string[]): never {
  throw new ConfigError(`the Teams app package cannot be built:\n  ${problems.join('\n  ')}`, problems);
}

/** The manifest options from `adapters.teams` (and MicrosoftAppId from the environment), or every problem at once. */
export function manifestOptionsOf(request: Omit<AppPackageRequest, 'out'>, env: NodeJS.ProcessEnv): TeamsManifestOptions {
  const parsed = packageSettingsSchema.safeParse({ ...request.settings, appId: request.settings.appId ?? (env.MicrosoftAppId?.trim() || undefined) });
  if (!parsed.success) fail(parsed.error.issues.map((i) => `adapters.teams.${i.path.join('.')}: ${i.message}`));
  const { appId, manifest } = parsed.data;
  const problems: string[] = [];
  if (!appId) problems.push('adapters.teams.appId (or MicrosoftAppId in the environment): the bot\'s Microsoft App ID is needed as the bot id');
  if (!manifest) {
    problems.push('adapters.teams.manifest.developer: name, websiteUrl, privacyUrl and termsOfUseUrl are needed; Teams shows them on the app page');
  }
  if (!appId || !manifest) fail(problems);
  return {
    appId: manifest.id ?? appId, botId: appId, name: manifest.name ?? request.botName.slice(0, 30),
    description: manifest.description
      ?? `${request.botName} runs the team's operations from the chat: commands by mention, approvals on cards, build and alert feeds, all audited.`,
    commands: request.commands, version: manifest.version, developer: manifest.developer,
    ...(manifest.accentColor ? { accentColor: manifest.accentColor } : {}), ...(manifest.validDomains ? { validDomains: manifest.validDomains } : {}),
  };
}

/** The adapter package's `buildAppPackage`: the zip an admin uploads to Teams. */
export async function buildAppPackage(request: AppPackageRequest, env: NodeJS.ProcessEnv = process.env): Promise<AppPackageResult> {
  const options = manifestOptionsOf(request, env);
  const built = await buildTeamsAppPackage({ ...options, path: request.out });
  return {
    path: built.path, bytes: built.bytes, listedCommands: selectManifestCommands(options.commands).listed.map((c) => c.name),
    omittedCommands: built.omittedCommands,
  };
}
