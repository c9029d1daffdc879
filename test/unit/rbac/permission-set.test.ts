import { describe, expect, it } from 'vitest';
import { PermissionSet } from '../../../src/rbac/permission-set.js';

describe('PermissionSet', () => {
  it('grants exact permissions and nothing else', () => {
    const set = new PermissionSet(['deploy', 'use:status']);
    expect(set.has('deploy')).toBe(true);
    expect(set.has('use:status')).toBe(true);
    expect(set.has('deploy:prod')).toBe(false);
    expect(set.has('use:logs')).toBe(false);
  });

  it('grants a whole family with a wildcard, but not look-alike names', () => {
    const set = new PermissionSet(['db:*']);
    expect(set.has('db')).toBe(true);
    expect(set.has('db:upgrade')).toBe(true);
    expect(set.has('db:upgrade:prod')).toBe(true);
    expect(set.has('dbx:upgrade')).toBe(false);
  });

  it('grants everything with *, except what a ! pattern takes away', () => {
    const set = new PermissionSet(['*', '!rbac:*', '!plugin:admin']);
    expect(set.has('deploy:prod')).toBe(true);
    expect(set.has('rbac:admin')).toBe(false);
    expect(set.has('plugin:admin')).toBe(false);
    expect(set.has('plugin:list')).toBe(true);
  });

  it('is case-insensitive and empty when nothing is granted', () => {
    expect(new PermissionSet(['Deploy']).has('DEPLOY')).toBe(true);
    expect(new PermissionSet([]).isEmpty()).toBe(true);
    expect(new PermissionSet(['!x']).isEmpty()).toBe(true);
  });
});
