import { createHmac, sign, type KeyObject } from 'node:crypto';

export type JwtHeader = Record<string, unknown>;
export type JwtClaims = Record<string, unknown>;

export function base64url(input: Buffer | string): string {
  return Buffer.from(input).toString('base64url');
}

function signingInput(header: JwtHeader, claims: JwtClaims): string {
  return `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
}

/** A compact JWS signed with RS256, as the Bot Framework signs channel tokens. */
export function signRs256(header: JwtHeader, claims: JwtClaims, privateKey: KeyObject): string {
  const input = signingInput({ ...header, alg: 'RS256' }, claims);
  return `${input}.${base64url(sign('sha256', Buffer.from(input), privateKey))}`;
}

/** HS256 keyed with arbitrary bytes: the classic algorithm-confusion attack when the bytes are a public key. */
export function signHs256(header: JwtHeader, claims: JwtClaims, secret: Buffer): string {
  const input = signingInput({ ...header, alg: 'HS256' }, claims);
  return `${input}.${base64url(createHmac('sha256', secret).update(input).digest())}`;
}

/** An unsecured JWT (`alg: none`, empty signature). */
export function unsigned(header: JwtHeader, claims: JwtClaims): string {
  return `${signingInput({ ...header, alg: 'none' }, claims)}.`;
}
