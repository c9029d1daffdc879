import { z } from 'zod';

const secretName = z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'the name of a secret of the secrets section, such as GITHUB_WEBHOOK_SECRET');
const headerName = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'an HTTP header name such as X-Signature').transform((h) => h.toLowerCase());

const common = {
  /** The header whose value names the event type in the audit log (GitHub: X-GitHub-Event). */
  eventHeader: headerName.optional(),
  /** The header carrying a unique delivery id; a delivery id seen twice is processed once (GitHub: X-GitHub-Delivery). */
  deliveryHeader: headerName.optional(),
};

/** GitHub's `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>`. */
const githubVerification = z.object({ verify: z.literal('github'), secret: secretName, ...common }).strict();

/** Any sender signing the raw body with an HMAC carried in a header of its own. */
const hmacVerification = z.object({
  verify: z.literal('hmac'),
  secret: secretName,
  header: headerName,
  algorithm: z.enum(['sha256', 'sha384', 'sha512', 'sha1']).default('sha256'),
  encoding: z.enum(['hex', 'base64']).default('hex'),
  /** Text before the digest in the header, such as `sha256=`. */
  prefix: z.string().max(32).default(''),
  ...common,
}).strict();

/** `Authorization: Bearer <token>` (Alertmanager's http_config.authorization). */
const bearerVerification = z.object({ verify: z.literal('bearer'), secret: secretName, ...common }).strict();

export const webhookVerificationSchema = z.discriminatedUnion('verify', [githubVerification, hmacVerification, bearerVerification]);

/** The `webhooks` section: how `POST /hooks/<plugin>` is verified, per plugin. A plugin missing here gets no webhooks. */
export const webhooksConfigSchema = z.object({
  /** The largest request body accepted, in KiB (413 above it). */
  maxBodyKb: z.number().int().min(1).max(25_600).default(1_024),
  /** How long a delivery id is remembered for deduplication. */
  dedupHours: z.number().int().min(1).max(24 * 90).default(72),
  plugins: z.record(z.string().regex(/^[a-z][a-z0-9-]{1,39}$/, 'a plugin name'), webhookVerificationSchema).default({}),
}).strict();

export type WebhooksConfig = z.infer<typeof webhooksConfigSchema>;
export type WebhookVerification = z.infer<typeof webhookVerificationSchema>;
