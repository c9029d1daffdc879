import { signHs256, unsigned } from './jwt.js';
import { generateSigningKey, mintChannelToken, type OpenIdIssuer, type SigningKey } from './openid-issuer.js';

/** Every way a channel token can be wrong; each must be answered 401 and run nothing. */
export const BAD_TOKEN_KINDS = [
  'missing',
  'not a bearer token',
  'malformed',
  'expired',
  'not yet valid',
  'without exp',
  'wrong audience',
  'wrong issuer',
  'unknown kid',
  'another key under a known kid',
  'alg none',
  'HS256 signed with the public key',
  'serviceurl mismatch',
] as const;
export type BadTokenKind = (typeof BAD_TOKEN_KINDS)[number];

export interface TokenTarget {
  appId: string;
  serviceUrl: string;
}

let strangerKey: SigningKey | undefined;

/** A key nobody published, generated once per process (RSA generation is slow). */
function stranger(): SigningKey {
  strangerKey ??= generateSigningKey();
  return strangerKey;
}

const HOUR = 3600;

/** The Authorization header value for a bad token of the given kind, or undefined for no header at all. */
export function badAuthorization(issuer: OpenIdIssuer, kind: BadTokenKind, target: TokenTarget): string | undefined {
  const now = Math.floor(Date.now() / 1000);
  const good = { appId: target.appId, serviceUrl: target.serviceUrl };
  const bearer = (token: string): string => `Bearer ${token}`;
  const claims = { serviceurl: target.serviceUrl, nbf: now - 5, exp: now + HOUR, iss: 'https://api.botframework.com', aud: target.appId };
  const header = { kid: issuer.key.kid, x5t: issuer.key.x5t, typ: 'JWT' };
  switch (kind) {
    case 'missing':
      return undefined;
    case 'not a bearer token':
      return `Basic ${Buffer.from(`${target.appId}:secret`).toString('base64')}`;
    case 'malformed':
      return bearer('this.is-not.a-jwt');
    case 'expired':
      // Beyond botbuilder's 300 s clock tolerance.
      return bearer(issuer.mintChannelToken({ ...good, claims: { nbf: now - 2 * HOUR, exp: now - 600 } }));
    case 'not yet valid':
      return bearer(issuer.mintChannelToken({ ...good, claims: { nbf: now + 900, exp: now + 2 * HOUR } }));
    case 'without exp':
      return bearer(issuer.mintChannelToken({ ...good, claims: { exp: undefined } }));
    case 'wrong audience':
      return bearer(issuer.mintChannelToken({ ...good, claims: { aud: '00000000-0000-0000-0000-00000000beef' } }));
    case 'wrong issuer':
      return bearer(issuer.mintChannelToken({ ...good, claims: { iss: 'https://evil.example.com' } }));
    case 'unknown kid':
      return bearer(mintChannelToken(stranger(), good));
    case 'another key under a known kid':
      return bearer(issuer.mintChannelToken({ ...good, key: stranger() }));
    case 'alg none':
      return bearer(unsigned(header, claims));
    case 'HS256 signed with the public key':
      return bearer(signHs256(header, claims, Buffer.from(issuer.key.publicPem)));
    case 'serviceurl mismatch':
      return bearer(issuer.mintChannelToken({ ...good, claims: { serviceurl: 'https://smba.trafficmanager.net/amer/' } }));
  }
}
