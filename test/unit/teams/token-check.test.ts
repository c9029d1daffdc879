import { describe, expect, it } from 'vitest';
import { tokenProblem } from '../../../adapters/teams/token-check.js';

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = 1_700_000_000;
const expected = { appId: 'app', issuer: 'https://api.botframework.com', serviceUrl: 'https://smba.example/amer/', nowSeconds: now };
const claims = { serviceurl: expected.serviceUrl, nbf: now - 5, exp: now + 3600, iss: expected.issuer, aud: 'app' };
const token = (header: unknown, body: unknown): string => `Bearer ${b64(header)}.${b64(body)}.c2ln`;
const header = { alg: 'RS256', kid: 'k1', typ: 'JWT' };

describe('tokenProblem', () => {
  it('passes a token of the Bot Framework shape on to signature verification', () => {
    expect(tokenProblem(token(header, claims), expected)).toBeUndefined();
  });

  it('tolerates five minutes of clock skew, and not more', () => {
    expect(tokenProblem(token(header, { ...claims, exp: now - 290 }), expected)).toBeUndefined();
    expect(tokenProblem(token(header, { ...claims, exp: now - 310 }), expected)).toBe('the token has expired');
    expect(tokenProblem(token(header, { ...claims, nbf: now + 310 }), expected)).toBe('the token is not valid yet (nbf)');
  });

  it.each([
    [undefined, 'no Authorization header'],
    ['Basic abc', 'the Authorization header is not a bearer token'],
    ['Bearer a.b', 'the bearer token is not a signed JWT'],
    [token({ ...header, alg: 'none' }, claims), 'the token is signed with none; only RS256 is accepted'],
    [token({ ...header, alg: 'HS256' }, claims), 'the token is signed with HS256; only RS256 is accepted'],
    [token({ alg: 'RS256' }, claims), 'the token names no signing key (kid)'],
    [token(header, { ...claims, exp: undefined }), 'the token has no exp claim'],
    [token(header, { ...claims, iss: 'https://evil.example' }), 'the token issuer is not https://api.botframework.com'],
    [token(header, { ...claims, aud: ['app'] }), 'the token audience is not this bot\'s app id'],
    [token(header, { ...claims, serviceurl: 'https://smba.example/amer' }), 'the token serviceurl claim does not match the activity serviceUrl'],
  ])('refuses %s: %s', (authorization, reason) => {
    expect(tokenProblem(authorization, expected)).toBe(reason);
  });
});
