import { createHash } from 'node:crypto';
import { UserError } from '../../core/errors.js';

const STRENGTH = ['sha512', 'sha384', 'sha256'] as const;
type Algorithm = (typeof STRENGTH)[number];

/** The strongest hash of a Subresource Integrity string (`sha512-<base64> sha1-<base64>`); sha1 is never taken. */
export function strongestHash(integrity: string): { algorithm: Algorithm; digest: string } | undefined {
  const hashes = integrity.trim().split(/\s+/).map((part) => {
    const match = /^(sha512|sha384|sha256)-([A-Za-z0-9+/]+={0,2})(\?.*)?$/.exec(part);
    return match ? { algorithm: match[1] as Algorithm, digest: match[2] as string } : undefined;
  }).filter((h) => h !== undefined);
  return STRENGTH.map((algorithm) => hashes.find((h) => h.algorithm === algorithm)).find((h) => h !== undefined);
}

export function sriOf(data: Buffer, algorithm: Algorithm): string {
  return `${algorithm}-${createHash(algorithm).update(data).digest('base64')}`;
}

/** Throws E_INTEGRITY unless `data` hashes to the expected SRI. */
export function checkIntegrity(data: Buffer, expected: string, what: string): void {
  const hash = strongestHash(expected);
  if (!hash) throw new UserError('E_INTEGRITY', `${what} has no usable integrity (${JSON.stringify(expected.slice(0, 80))}); sha512, sha384 or sha256 is required`);
  const actual = sriOf(data, hash.algorithm);
  if (actual !== `${hash.algorithm}-${hash.digest}`) {
    throw new UserError('E_INTEGRITY', `${what} does not match its integrity: expected ${hash.algorithm}-${hash.digest}, got ${actual}; nothing was installed`);
  }
}

/** The `#sha256=<hex>` pin of a tarball URL as SRI. */
export function sha256HexToSri(hex: string): string {
  return `sha256-${Buffer.from(hex, 'hex').toString('base64')}`;
}
