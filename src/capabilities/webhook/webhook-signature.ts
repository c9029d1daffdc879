import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { allow, deny, type Decision } from '../../core/decision.js';
import type { WebhookVerification } from './webhook-config-schema.js';

const GITHUB_SIGNATURE = /^sha256=([0-9a-f]{64})$/i;
const BEARER = /^bearer[ \t]+(\S+)[ \t]*$/i;

/** The single value of a header, or undefined when it is absent or sent more than once. */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return typeof value === 'string' ? value : undefined;
}

/** Equal in constant time: both sides are hashed first, so neither length nor content leaks through timing. */
function sameSecretText(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

function sameDigest(given: Buffer, expected: Buffer): boolean {
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function verifyGithub(headers: IncomingHttpHeaders, body: Buffer, secret: string): Decision {
  const header = headerValue(headers, 'x-hub-signature-256');
  if (header === undefined) return deny('the X-Hub-Signature-256 header is missing');
  const match = GITHUB_SIGNATURE.exec(header.trim());
  if (!match) return deny('the X-Hub-Signature-256 header is not sha256=<64 hex digits>');
  const expected = createHmac('sha256', secret).update(body).digest();
  return sameDigest(Buffer.from(match[1] as string, 'hex'), expected) ? allow : deny('the X-Hub-Signature-256 signature does not match the body');
}

function verifyHmac(rule: Extract<WebhookVerification, { verify: 'hmac' }>, headers: IncomingHttpHeaders, body: Buffer, secret: string): Decision {
  const header = headerValue(headers, rule.header);
  if (header === undefined) return deny(`the ${rule.header} header is missing`);
  const value = header.trim();
  if (!value.startsWith(rule.prefix)) return deny(`the ${rule.header} header does not start with ${JSON.stringify(rule.prefix)}`);
  const digest = value.slice(rule.prefix.length);
  const wellFormed = rule.encoding === 'hex' ? /^[0-9a-f]+$/i.test(digest) && digest.length % 2 === 0 : /^[A-Za-z0-9+/]+={0,2}$/.test(digest);
  if (!wellFormed) return deny(`the ${rule.header} header is not a ${rule.encoding} digest`);
  const expected = createHmac(rule.algorithm, secret).update(body).digest();
  return sameDigest(Buffer.from(digest, rule.encoding), expected) ? allow : deny(`the ${rule.header} signature does not match the body`);
}

function verifyBearer(headers: IncomingHttpHeaders, secret: string): Decision {
  const header = headerValue(headers, 'authorization');
  if (header === undefined) return deny('the Authorization header is missing');
  const match = BEARER.exec(header);
  if (!match) return deny('the Authorization header is not "Bearer <token>"');
  return sameSecretText(match[1] as string, secret) ? allow : deny('the bearer token is wrong');
}

/** Checks a webhook request against its plugin's verification rule, before anything of it reaches the plugin. */
export function verifyWebhook(rule: WebhookVerification, headers: IncomingHttpHeaders, body: Buffer, secret: string): Decision {
  switch (rule.verify) {
    case 'github': return verifyGithub(headers, body, secret);
    case 'hmac': return verifyHmac(rule, headers, body, secret);
    case 'bearer': return verifyBearer(headers, secret);
  }
}

/** The header naming the event type for the audit log: configured, or GitHub's. */
export function eventHeaderOf(rule: WebhookVerification | undefined): string | undefined {
  return rule?.eventHeader ?? (rule?.verify === 'github' ? 'x-github-event' : undefined);
}

/** The header carrying a unique delivery id: configured, or GitHub's. */
export function deliveryHeaderOf(rule: WebhookVerification | undefined): string | undefined {
  return rule?.deliveryHeader ?? (rule?.verify === 'github' ? 'x-github-delivery' : undefined);
}
