import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, OpsroomError, UserError, describeForChat, isUserError } from '../../../src/core/errors.js';

describe('error codes', () => {
  it('are documented in docs/errors.md exactly as declared, audience included', () => {
    const doc = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
    const documented = [...doc.matchAll(/^- `(E_[A-Z_]+)` \((user|system)\): (.+)$/gm)].map((m) => [m[1], m[2], m[3]]);
    const declared = Object.entries(ERROR_CODES).map(([code, info]) => [code, info.audience, info.description]);
    expect(documented).toEqual(declared);
  });
});

describe('OpsroomError', () => {
  it('carries a stable code, a name, a cause and its audience', () => {
    const cause = new Error('socket closed');
    const error = new OpsroomError('E_STORAGE', 'database unreachable', { cause });
    expect(error).toMatchObject({ code: 'E_STORAGE', name: 'OpsroomError', cause, audience: 'system' });
    expect(new UserError('E_BAD_ARGS', 'x').name).toBe('UserError');
  });

  it('tells users what was wrong for user errors, and only a reference for system errors', () => {
    expect(describeForChat(new UserError('E_BAD_ARGS', 'env must be one of staging, prod', { hint: 'usage: deploy <env>' }), 'r1'))
      .toBe('env must be one of staging, prod\nusage: deploy <env>');
    const system = describeForChat(new OpsroomError('E_STORAGE', 'password authentication failed for user admin'), 'r2');
    expect(system).not.toContain('password');
    expect(system).toContain('reference r2');
    expect(describeForChat(new TypeError('x is undefined'), 'r3')).toContain('reference r3');
    expect(isUserError(new UserError('E_PARSE', 'x'))).toBe(true);
    expect(isUserError(new Error('x'))).toBe(false);
  });
});
