import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { webhookVerificationSchema } from '../../../../src/capabilities/webhook/webhook-config-schema.js';
import { verifyWebhook } from '../../../../src/capabilities/webhook/webhook-signature.js';

const SECRET = 'It\'s a Secret to Everybody';
const BODY = Buffer.from('Hello, World!');

describe('verifyWebhook', () => {
  const github = webhookVerificationSchema.parse({ verify: 'github', secret: 'S' });

  it('accepts GitHub\'s documented X-Hub-Signature-256 example and nothing else', () => {
    // The example of GitHub's "Validating webhook deliveries" page: this secret and body give this signature.
    const documented = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
    expect(verifyWebhook(github, { 'x-hub-signature-256': documented }, BODY, SECRET)).toEqual({ allowed: true });
    expect(verifyWebhook(github, { 'x-hub-signature-256': documented.toUpperCase().replace('SHA256', 'sha256') }, BODY, SECRET)).toEqual({ allowed: true });
    expect(verifyWebhook(github, { 'x-hub-signature-256': documented }, Buffer.from('Hello, World?'), SECRET)).toMatchObject({ allowed: false, reason: 'the X-Hub-Signature-256 signature does not match the body' });
    expect(verifyWebhook(github, { 'x-hub-signature-256': documented }, BODY, 'another secret')).toMatchObject({ allowed: false });
    expect(verifyWebhook(github, {}, BODY, SECRET)).toMatchObject({ allowed: false, reason: 'the X-Hub-Signature-256 header is missing' });
    expect(verifyWebhook(github, { 'x-hub-signature-256': 'sha1=abc' }, BODY, SECRET)).toMatchObject({ allowed: false, reason: 'the X-Hub-Signature-256 header is not sha256=<64 hex digits>' });
  });

  it('checks a generic HMAC header with its algorithm, encoding and prefix', () => {
    const rule = webhookVerificationSchema.parse({ verify: 'hmac', secret: 'S', header: 'X-Signature', algorithm: 'sha512', encoding: 'base64', prefix: 'v1=' });
    const good = `v1=${createHmac('sha512', SECRET).update(BODY).digest('base64')}`;
    expect(verifyWebhook(rule, { 'x-signature': good }, BODY, SECRET)).toEqual({ allowed: true });
    expect(verifyWebhook(rule, { 'x-signature': good.slice(3) }, BODY, SECRET)).toMatchObject({ allowed: false, reason: 'the x-signature header does not start with "v1="' });
    expect(verifyWebhook(rule, { 'x-signature': `v1=${createHmac('sha256', SECRET).update(BODY).digest('base64')}` }, BODY, SECRET)).toMatchObject({ allowed: false });
    expect(verifyWebhook(rule, { 'x-signature': 'v1=***' }, BODY, SECRET)).toMatchObject({ allowed: false, reason: 'the x-signature header is not a base64 digest' });
  });

  it('checks a bearer token, whatever the case of the scheme', () => {
    const rule = webhookVerificationSchema.parse({ verify: 'bearer', secret: 'S' });
    expect(verifyWebhook(rule, { authorization: `Bearer ${SECRET.replace(/ /g, '-')}` }, BODY, SECRET.replace(/ /g, '-'))).toEqual({ allowed: true });
    expect(verifyWebhook(rule, { authorization: 'bearer tok' }, BODY, 'tok')).toEqual({ allowed: true });
    expect(verifyWebhook(rule, { authorization: 'Bearer tok2' }, BODY, 'tok')).toMatchObject({ allowed: false, reason: 'the bearer token is wrong' });
    expect(verifyWebhook(rule, { authorization: 'Basic dG9rOg==' }, BODY, 'tok')).toMatchObject({ allowed: false, reason: 'the Authorization header is not "Bearer <token>"' });
    expect(verifyWebhook(rule, {}, BODY, 'tok')).toMatchObject({ allowed: false, reason: 'the Authorization header is missing' });
  });
});
