import { randomBytes } from 'node:crypto';
import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, crc32Portable } from '../../../adapters/teams/app-package/crc32.js';

describe('crc32', () => {
  it('gives the standard check value', () => {
    expect(crc32Portable(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  it('computes in JavaScript what zlib computes natively, also when continued', () => {
    const native = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;
    for (let i = 0; i < 20; i++) {
      const data = randomBytes(i * 97);
      const expected = native ? native(data) >>> 0 : crc32(data);
      expect(crc32Portable(data)).toBe(expected);
      expect(crc32Portable(data.subarray(10), crc32Portable(data.subarray(0, 10)))).toBe(expected);
    }
  });
});
