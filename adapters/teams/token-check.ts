import { isRecord } from './teams-activity.js';

/** botbuilder's own clock tolerance for `exp` and `nbf`. */
export const CLOCK_SKEW_SECONDS = 300;

export interface TokenExpectations {
  appId: string;
  issuer: string;
  serviceUrl: string;
  nowSeconds: number;
}

function decodeSegment(segment: string | undefined): Record<string, unknown> | undefined {
  if (!segment || !/^[A-Za-z0-9_-]+$/.test(segment)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Checks what botbuilder leaves out or mishandles, before it verifies the signature: a bearer JWT signed RS256
 * with a key id, an `exp` (botbuilder accepts tokens without one), `nbf`/`exp` within the clock tolerance,
 * the channel issuer, our app id as audience, and the `serviceurl` claim equal to the activity's serviceUrl.
 * Rejecting here never accepts anything: a token that passes is still verified by botbuilder. Returns the
 * reason for rejecting, or undefined.
 */
export function tokenProblem(authorization: string | undefined, expected: TokenExpectations): string | undefined {
  if (!authorization) return 'no Authorization header';
  const match = /^Bearer ([^\s]+)$/.exec(authorization.trim());
  if (!match?.[1]) return 'the Authorization header is not a bearer token';
  const parts = match[1].split('.');
  if (parts.length !== 3) return 'the bearer token is not a signed JWT';
  const header = decodeSegment(parts[0]);
  const claims = decodeSegment(parts[1]);
  if (!header || !claims) return 'the bearer token is not a JWT';
  if (header.alg !== 'RS256') return `the token is signed with ${String(header.alg)}; only RS256 is accepted`;
  if (typeof header.kid !== 'string' || header.kid.length === 0) return 'the token names no signing key (kid)';
  return claimsProblem(claims, expected);
}

function claimsProblem(claims: Record<string, unknown>, expected: TokenExpectations): string | undefined {
  const { exp, nbf } = claims;
  if (typeof exp !== 'number') return 'the token has no exp claim';
  if (exp + CLOCK_SKEW_SECONDS < expected.nowSeconds) return 'the token has expired';
  if (nbf !== undefined && typeof nbf !== 'number') return 'the token nbf claim is not a number';
  if (typeof nbf === 'number' && nbf - CLOCK_SKEW_SECONDS > expected.nowSeconds) return 'the token is not valid yet (nbf)';
  if (claims.iss !== expected.issuer) return `the token issuer is not ${expected.issuer}`;
  if (claims.aud !== expected.appId) return 'the token audience is not this bot\'s app id';
  if (claims.serviceurl !== expected.serviceUrl) return 'the token serviceurl claim does not match the activity serviceUrl';
  return undefined;
}
