import { describe, expect, it } from 'vitest';
import { decodeButtonId, encodeButtonId } from '../../../adapters/discord/button-id.js';

describe('button custom_id', () => {
  it('carries the button id and its value, and reads them back', () => {
    const customId = encodeButtonId('approve', { request: 'r42', n: 2 });
    expect(customId).toBe('o1:["approve",{"request":"r42","n":2}]');
    expect(decodeButtonId(customId)).toEqual({ actionId: 'approve', value: { request: 'r42', n: 2 } });
    expect(decodeButtonId(encodeButtonId('deny|x', undefined))).toEqual({ actionId: 'deny|x', value: {} });
  });

  it('refuses a button whose id and value do not fit Discord\'s 100 characters, saying what to do', () => {
    expect(() => encodeButtonId('approve', { reason: 'x'.repeat(100) })).toThrow(/needs 1\d\d characters of Discord's custom_id, which holds 100; give the button a short value/);
  });

  it('hands on a custom_id opsroom did not write as the action id', () => {
    expect(decodeButtonId('autoPings;add;match')).toEqual({ actionId: 'autoPings;add;match', value: {} });
    expect(decodeButtonId('o1:not json')).toEqual({ actionId: 'o1:not json', value: {} });
  });
});
