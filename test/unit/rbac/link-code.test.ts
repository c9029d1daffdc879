import { describe, expect, it } from 'vitest';
import { hashLinkCode, newLinkCode, normalizeLinkCode } from '../../../src/rbac/link-code.js';

describe('link codes', () => {
  it('are 8 unambiguous characters, shown as two groups of four, and differ each time', () => {
    const codes = new Set(Array.from({ length: 200 }, () => newLinkCode()));
    expect(codes.size).toBe(200);
    for (const code of codes) expect(code).toMatch(/^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
  });

  it('accept any case, spaces and dashes when typed, and refuse what cannot be a code', () => {
    expect(normalizeLinkCode(' abcd-efgh ')).toBe('ABCDEFGH');
    expect(normalizeLinkCode('ABCD EFGH')).toBe('ABCDEFGH');
    expect(normalizeLinkCode('ABCD-EFG')).toBeUndefined();
    expect(normalizeLinkCode('ABCD-EFG0')).toBeUndefined();
    expect(normalizeLinkCode('ABCD-EFGI')).toBeUndefined();
  });

  it('are stored as a hash that does not contain the code', () => {
    const hash = hashLinkCode('ABCDEFGH');
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).toBe(hashLinkCode('ABCDEFGH'));
    expect(hash).not.toBe(hashLinkCode('ABCDEFGJ'));
  });
});
