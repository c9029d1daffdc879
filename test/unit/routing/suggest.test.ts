import { describe, expect, it } from 'vitest';
import { editDistance, suggest } from '../../../src/routing/suggest.js';

describe('editDistance', () => {
  it('is zero for equal strings', () => {
    expect(editDistance('deploy', 'deploy')).toBe(0);
    expect(editDistance('', '')).toBe(0);
  });

  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('abc', '')).toBe(3);
    expect(editDistance('logs', 'log')).toBe(1);
    expect(editDistance('restart', 'restort')).toBe(1);
  });

  it('counts a transposition of adjacent characters as one edit', () => {
    expect(editDistance('delpoy', 'deploy')).toBe(1);
    expect(editDistance('ab', 'ba')).toBe(1);
    expect(editDistance('abcd', 'badc')).toBe(2);
  });

  it('uses optimal string alignment, so a transposed pair is not edited again', () => {
    expect(editDistance('ca', 'abc')).toBe(3);
  });

  it('counts an emoji as one character', () => {
    expect(editDistance('🚀a', 'a')).toBe(1);
    expect(editDistance('🚀', '🙂')).toBe(1);
  });

  it('is symmetric', () => {
    expect(editDistance('status', 'stats')).toBe(editDistance('stats', 'status'));
  });

  it('stops early and returns max + 1 once the distance exceeds max', () => {
    expect(editDistance('kitten', 'sitting', 2)).toBe(3);
    expect(editDistance('a', 'abcdefgh', 2)).toBe(3);
    expect(editDistance('abcdefgh', 'hgfedcba', 1)).toBe(2);
    expect(editDistance('kitten', 'sitting', 3)).toBe(3);
    expect(editDistance('abc', 'xyz', 0)).toBe(1);
  });

  it('refuses a negative or NaN max', () => {
    expect(() => editDistance('a', 'b', -1)).toThrow(RangeError);
    expect(() => editDistance('a', 'b', Number.NaN)).toThrow(RangeError);
  });
});

describe('suggest', () => {
  const COMMANDS = ['deploy', 'deploy status', 'delete', 'logs', 'restart', 'status', 'help', 'wishlist', 'whoami', 'ping'];

  it('suggests the command one typo away', () => {
    expect(suggest('delpoy', COMMANDS)).toEqual(['deploy']);
    expect(suggest('stauts', COMMANDS)).toEqual(['status']);
  });

  it('suggests commands the name is a prefix of', () => {
    expect(suggest('wish', COMMANDS)).toEqual(['wishlist']);
  });

  it('ranks a prefix match as one edit away, before farther typos', () => {
    expect(suggest('dep', ['df', 'deploy'])).toEqual(['deploy', 'df']);
  });

  it('orders closest first, then by fewest edits, then by name', () => {
    expect(suggest('deploy', COMMANDS, 5)).toEqual(['deploy', 'deploy status']);
    expect(suggest('lgos', ['logs', 'lags', 'lgo'])).toEqual(['lgo', 'logs', 'lags']);
    expect(suggest('pong', ['pang', 'ping', 'pung'])).toEqual(['pang', 'ping', 'pung']);
  });

  it('allows max(2, length/3) edits', () => {
    expect(suggest('reztrat', ['restart'])).toEqual(['restart']);
    expect(suggest('whishlisttt', ['wishlist'])).toEqual(['wishlist']);
    expect(suggest('wxshlxstx', ['wishlist'])).toEqual(['wishlist']);
    expect(suggest('wxshlxxtx', ['wishlist'])).toEqual([]);
    expect(suggest('pxxg', ['ping'])).toEqual(['ping']);
    expect(suggest('pxxx', ['ping'])).toEqual([]);
  });

  it('never suggests a candidate with nothing in common', () => {
    expect(suggest('ab', ['xy', 'ba'])).toEqual(['ba']);
    expect(suggest('q', ['ls', 'x'])).toEqual([]);
  });

  it('ignores case and returns candidates as given', () => {
    expect(suggest('DELPOY', ['Deploy'])).toEqual(['Deploy']);
  });

  it('returns at most limit names, each once', () => {
    expect(suggest('d', ['da', 'db', 'dc', 'dd', 'da'], 2)).toEqual(['da', 'db']);
    expect(suggest('deploy', ['deploy'], 0)).toEqual([]);
  });

  it('suggests nothing for an empty name or no candidates', () => {
    expect(suggest('', COMMANDS)).toEqual([]);
    expect(suggest('  ', COMMANDS)).toEqual([]);
    expect(suggest('deploy', [])).toEqual([]);
  });
});
