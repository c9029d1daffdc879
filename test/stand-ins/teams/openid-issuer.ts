import { createHash, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { base64url, signRs256, type JwtClaims, type JwtHeader } from './jwt.js';
import { sendJson, startLoopbackServer } from './loopback-server.js';

/** The issuer the Bot Framework puts in channel tokens. */
export const CHANNEL_ISSUER = 'https://api.botframework.com';

export interface SigningKey {
  kid: string;
  x5t: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The public key as PEM, e.g. to key an HS256 confusion attack. */
  publicPem: string;
}

export interface ChannelTokenOptions {
  appId: string;
  serviceUrl: string;
  /** Seconds since the epoch; defaults to now. */
  now?: number;
  lifetimeSeconds?: number;
  /** Claims to add or replace; a value of `undefined` removes the claim. */
  claims?: JwtClaims;
  header?: JwtHeader;
  /** Sign with this key instead of the published one. */
  key?: SigningKey;
}

/** The endpoint settings of the Teams adapter that point at this issuer. */
export interface IssuerEndpoints {
  channelOpenIdMetadataUrl: string;
  channelTokenIssuer: string;
  emulatorOpenIdMetadataUrl: string;
  loginUrl: string;
  oauthScope: string;
  oauthUrl: string;
  callerId: string;
}

export interface OpenIdIssuer {
  url: string;
  key: SigningKey;
  endpoints: IssuerEndpoints;
  /** How many times each document was fetched, by path. */
  fetches: Map<string, number>;
  mintChannelToken(options: ChannelTokenOptions): string;
  stop(): Promise<void>;
}

export function generateSigningKey(kid = `stand-in-${randomBytes(6).toString('hex')}`): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const der = publicKey.export({ format: 'der', type: 'spki' });
  const publicPem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
  return { kid, x5t: base64url(createHash('sha1').update(der).digest()), privateKey, publicKey, publicPem };
}

function jwkOf(key: SigningKey, endorsements: string[]): Record<string, unknown> {
  const { n, e } = key.publicKey.export({ format: 'jwk' });
  return { kty: 'RSA', use: 'sig', kid: key.kid, x5t: key.x5t, n, e, endorsements };
}

/** Channel token claims exactly as the Bot Framework sends them: serviceurl, nbf, exp, iss, aud. */
export function mintChannelToken(key: SigningKey, options: ChannelTokenOptions): string {
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const claims: JwtClaims = {
    serviceurl: options.serviceUrl, nbf: now - 5, exp: now + (options.lifetimeSeconds ?? 3600), iss: CHANNEL_ISSUER, aud: options.appId,
  };
  for (const [name, value] of Object.entries(options.claims ?? {})) {
    if (value === undefined) delete claims[name];
    else claims[name] = value;
  }
  const signer = options.key ?? key;
  return signRs256({ kid: key.kid, x5t: key.x5t, typ: 'JWT', ...options.header }, claims, signer.privateKey);
}

/**
 * A loopback OpenID issuer: channel metadata and JWKS (one RS256 key endorsed for msteams), and an emulator
 * metadata document whose key set is EMPTY, so no emulator-style token can ever validate.
 */
export async function startOpenIdIssuer(options: { endorsements?: string[] } = {}): Promise<OpenIdIssuer> {
  const key = generateSigningKey();
  const endorsements = options.endorsements ?? ['msteams'];
  const fetches = new Map<string, number>();
  let base = '';
  const server = await startLoopbackServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://stand-in').pathname;
    fetches.set(path, (fetches.get(path) ?? 0) + 1);
    const documents: Record<string, unknown> = {
      '/v1/.well-known/openidconfiguration': metadata(base, CHANNEL_ISSUER, `${base}/v1/.well-known/keys`),
      '/v1/.well-known/keys': { keys: [jwkOf(key, endorsements)] },
      '/emulator/.well-known/openid-configuration': metadata(base, 'https://sts.windows.net/stand-in/', `${base}/emulator/keys`),
      '/emulator/keys': { keys: [] },
    };
    const document = req.method === 'GET' ? documents[path] : undefined;
    if (document === undefined) sendJson(res, 404, { error: `no document at ${req.method} ${path}` });
    else sendJson(res, 200, document);
  });
  base = server.url;
  return {
    url: base,
    key,
    fetches,
    endpoints: {
      channelOpenIdMetadataUrl: `${base}/v1/.well-known/openidconfiguration`,
      channelTokenIssuer: CHANNEL_ISSUER,
      emulatorOpenIdMetadataUrl: `${base}/emulator/.well-known/openid-configuration`,
      loginUrl: `${base}/login`,
      oauthScope: CHANNEL_ISSUER,
      oauthUrl: `${base}/oauth`,
      callerId: 'urn:botframework:azure',
    },
    mintChannelToken: (tokenOptions) => mintChannelToken(key, tokenOptions),
    stop: () => server.stop(),
  };
}

function metadata(base: string, issuer: string, jwksUri: string): Record<string, unknown> {
  return {
    issuer,
    authorization_endpoint: `${base}/authorize`,
    jwks_uri: jwksUri,
    id_token_signing_alg_values_supported: ['RS256'],
    token_endpoint_auth_methods_supported: ['private_key_jwt'],
  };
}
