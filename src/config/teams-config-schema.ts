import { z } from 'zod';

const guid = (what: string) => z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, what);
const httpUrl = z.string().regex(/^https?:\/\/\S+$/i, 'an http(s) URL');

/** The Bot Framework endpoints: all of them or none (botbuilder refuses every token when only some are set). */
const endpointsSchema = z.object({
  channelOpenIdMetadataUrl: httpUrl,
  channelTokenIssuer: z.string().min(1),
  emulatorOpenIdMetadataUrl: httpUrl,
  loginUrl: httpUrl,
  oauthScope: z.string().min(1),
  oauthUrl: httpUrl,
  callerId: z.string().min(1),
}).strict();

const manifestSchema = z.object({
  id: guid('the Teams app id, a GUID that stays the same across versions').optional(),
  name: z.string().min(1).max(30).optional(),
  description: z.string().min(1).max(4000).optional(),
  version: z.string().regex(/^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/, 'a version x.y.z').optional(),
  developer: z.object({
    name: z.string().min(1).max(32),
    websiteUrl: httpUrl,
    privacyUrl: httpUrl,
    termsOfUseUrl: httpUrl,
  }).strict(),
  accentColor: z.string().regex(/^#[0-9a-f]{6}$/i, 'a colour #rrggbb').optional(),
  validDomains: z.array(z.string().min(1)).optional(),
}).strict();

/**
 * `adapters.teams`. Secrets never live in this file: the app password comes from MicrosoftAppPassword in the
 * environment or from `appPasswordFile`, the certificate key from `certificate.privateKeyFile`. The adapter
 * completes and checks the rest (MicrosoftAppId, MicrosoftAppType, MicrosoftAppTenantId from the environment).
 */
export const teamsConfigSchema = z.object({
  enabled: z.boolean().default(false),
  appId: guid('the bot\'s Microsoft App ID, a GUID').optional(),
  appType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).optional(),
  tenantId: guid('an Entra tenant id, a GUID').optional(),
  /** Tenant ids whose activities are handled; `*` accepts every tenant. */
  allowedTenants: z.array(z.union([z.literal('*'), guid('a tenant id (GUID) or *')])).min(1).optional(),
  /** A file holding the app password (a mounted secret); MicrosoftAppPassword in the environment also works. */
  appPasswordFile: z.string().min(1).optional(),
  certificate: z.object({
    thumbprint: z.string().regex(/^[0-9a-f]{40}$/i, 'the certificate SHA-1 thumbprint, 40 hex digits'),
    /** A file holding the PEM private key. */
    privateKeyFile: z.string().min(1),
  }).strict().optional(),
  /** No app id and no authentication, on loopback only, for trying opsroom without Azure. */
  localMode: z.boolean().optional(),
  endpoints: endpointsSchema.optional(),
  maxBodyBytes: z.number().int().min(1024).max(16 * 1024 * 1024).optional(),
  invokeTimeoutMs: z.number().int().min(100).max(14_000).optional(),
  /** What `opsroom teams manifest` writes into the app package. */
  manifest: manifestSchema.optional(),
}).strict().default({});

export type TeamsConfig = z.infer<typeof teamsConfigSchema>;
