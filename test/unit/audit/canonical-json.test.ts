import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/audit/canonical-json.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: null, y: true }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"y":true,"z":null}]},"b":1}');
  });

  it('gives the same text for the same value built in a different order', () => {
    expect(canonicalJson({ one: 1, two: { x: 1, y: 2 } })).toBe(canonicalJson({ two: { y: 2, x: 1 }, one: 1 }));
  });

  it('escapes strings as JSON does, lone surrogates included', () => {
    expect(canonicalJson({ s: 'quote " slash \\ nul \u0000 lone \uD800' })).toBe('{"s":"quote \\" slash \\\\ nul \\u0000 lone \\ud800"}');
  });

  it('writes scalars and empty containers as JSON', () => {
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson(-0)).toBe('0');
    expect(canonicalJson(1e21)).toBe('1e+21');
    expect(canonicalJson([])).toBe('[]');
    expect(canonicalJson({})).toBe('{}');
  });
});
