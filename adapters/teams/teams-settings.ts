import { z } from 'zod';
import { ConfigError } from '../../src/core/errors.js';
import { manifestSettingsSchema } from './app-package-settings.js';

/** The public-cloud Bot Framework endpoints (the values botbuilder itself defaults to). */
export const PUBLIC_CLOUD_ENDPOINTS = {
  channelOpenIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
  channelTokenIssuer: 'https://api.botframework.com',
  emulatorOpenIdMetadataUrl: 'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
  loginUrl: 'https://login.microsoftonline.com/botframework.com',
  oauthScope: 'https://api.botframework.com',
  oauthUrl: 'https://api.botframework.com',
  callerId: 'urn:botframework:azure',
} as const;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const httpUrl = z.string().url().refine((value) => /^https?:\/\//i.test(value), 'an http(s) URL');

/** All of them or none: botbuilder rejects every token when only some are set. */
const endpointsSchema = z.object({
  channelOpenIdMetadataUrl: httpUrl,
  channelTokenIssuer: z.string().min(1),
  emulatorOpenIdMetadataUrl: httpUrl,
  loginUrl: httpUrl,
  oauthScope: z.string().min(1),
  oauthUrl: httpUrl,
  callerId: z.string().min(1),
}).strict();

const certificateSchema = z.object({
  thumbprint: z.string().regex(/^[0-9a-f]{40}$/i, 'the certificate SHA-1 thumbprint, 40 hex digits'),
  /** PEM of the private key. */
  privateKey: z.string().includes('PRIVATE KEY', { message: 'a PEM private key' }),
}).strict();

const settingsSchema = z.object({
  enabled: z.boolean().optional(),
  appId: z.string().regex(GUID, 'the bot\'s Microsoft App ID, a GUID').optional(),
  appPassword: z.string().min(1).optional(),
  certificate: certificateSchema.optional(),
  appType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
  tenantId: z.string().regex(GUID, 'an Entra tenant id, a GUID').optional(),
  /** Tenant ids whose activities are handled; `*` accepts every tenant. */
  allowedTenants: z.array(z.union([z.literal('*'), z.string().regex(GUID, 'a tenant id (GUID) or *')])).min(1).optional(),
  /** Run without an app id and without authentication, for trying opsroom on loopback only. */
  localMode: z.boolean().default(false),
  endpoints: endpointsSchema.default(PUBLIC_CLOUD_ENDPOINTS),
  maxBodyBytes: z.number().int().min(1024).max(16 * 1024 * 1024).default(1024 * 1024),
  /** How long an Action.Execute invoke waits for the handler before answering with an acknowledgement. */
  invokeTimeoutMs: z.number().int().min(100).max(14_000).default(4_500),
  /** What `opsroom teams manifest` puts in the app package; not used at run time. */
  manifest: manifestSettingsSchema.optional(),
}).strict();

export type TeamsAppType = 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
export type TeamsEndpoints = z.infer<typeof endpointsSchema>;

/** The validated settings of the Teams adapter. */
export interface TeamsSettings {
  appId: string | undefined;
  appPassword: string | undefined;
  certificate: { thumbprint: string; privateKey: string } | undefined;
  appType: TeamsAppType;
  tenantId: string | undefined;
  allowedTenants: string[] | undefined;
  localMode: boolean;
  endpoints: TeamsEndpoints;
  maxBodyBytes: number;
  invokeTimeoutMs: number;
}

/** The Bot Framework's own variable names, used when the settings leave a value out. */
const ENV_FALLBACKS = {
  appId: 'MicrosoftAppId',
  appPassword: 'MicrosoftAppPassword',
  appType: 'MicrosoftAppType',
  tenantId: 'MicrosoftAppTenantId',
} as const;

function withEnvironment(settings: Record<string, unknown>, env: NodeJS.ProcessEnv): Record<string, unknown> {
  const merged = { ...settings };
  for (const [key, name] of Object.entries(ENV_FALLBACKS)) {
    const value = env[name]?.trim();
    if (merged[key] === undefined && value) merged[key] = value;
  }
  if (typeof merged.appType === 'string' && merged.appType.toLowerCase() === 'userassignedmsi') merged.appType = 'UserAssignedMSI';
  return merged;
}

function credentialProblems(s: TeamsSettings): string[] {
  const problems: string[] = [];
  if (s.localMode) {
    if (s.appId) problems.push('localMode runs without authentication and cannot be combined with appId; remove one of them');
    return problems;
  }
  if (s.appPassword && s.certificate) problems.push('set either appPassword or certificate, not both');
  if (s.appType === 'UserAssignedMSI') {
    if (s.appPassword || s.certificate) problems.push('appType UserAssignedMSI authenticates with the managed identity: remove appPassword and certificate');
    if (!s.tenantId) problems.push('appType UserAssignedMSI needs tenantId (or MicrosoftAppTenantId)');
  } else if (s.appId && !s.appPassword && !s.certificate) {
    problems.push(`appType ${s.appType} needs appPassword (or MicrosoftAppPassword) or a certificate`);
  }
  if (s.appType === 'SingleTenant' && !s.tenantId) problems.push('appType SingleTenant needs tenantId (or MicrosoftAppTenantId)');
  return problems;
}

/** Validates `adapters.teams` merged with the Bot Framework environment variables; throws ConfigError listing every problem. */
export function parseTeamsSettings(raw: Record<string, unknown>, env: NodeJS.ProcessEnv = {}): TeamsSettings {
  const parsed = settingsSchema.safeParse(withEnvironment(raw, env));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `adapters.teams${issue.path.map((p) => `.${p}`).join('')}: ${issue.message}`);
    throw new ConfigError(`the Teams adapter settings are invalid:\n  ${problems.join('\n  ')}`, problems);
  }
  const data = parsed.data;
  const settings: TeamsSettings = {
    appId: data.appId, appPassword: data.appPassword, certificate: data.certificate, appType: data.appType, tenantId: data.tenantId,
    allowedTenants: data.allowedTenants, localMode: data.localMode, endpoints: data.endpoints, maxBodyBytes: data.maxBodyBytes,
    invokeTimeoutMs: data.invokeTimeoutMs,
  };
  const problems = credentialProblems(settings).map((p) => `adapters.teams: ${p}`);
  if (problems.length > 0) throw new ConfigError(`the Teams adapter settings are invalid:\n  ${problems.join('\n  ')}`, problems);
  return settings;
}

/** The tenants to accept: configured, else the single tenant, else all in local mode; undefined when none can be chosen. */
export function effectiveAllowedTenants(settings: TeamsSettings): string[] | undefined {
  if (settings.allowedTenants) return settings.allowedTenants;
  if (settings.appType === 'SingleTenant' && settings.tenantId) return [settings.tenantId];
  if (settings.localMode) return ['*'];
  return undefined;
}
