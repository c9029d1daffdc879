import { describe, expect, it } from 'vitest';
import { prepareEntry } from '../../../src/audit/audit-entry.js';
import type { AuditEntryInput } from '../../../src/audit/audit-log.js';
import { REDACTED } from '../../../src/audit/audit-values.js';

const base: AuditEntryInput = { action: 'command.executed', actor: 'discord:user:1' };

describe('prepareEntry', () => {
  it('fills every absent field with null', () => {
    expect(prepareEntry(base)).toEqual({
      action: 'command.executed', actor: 'discord:user:1', platform: null, channel: null, command: null,
      args: null, outcome: null, durationMs: null, invocationId: null, detail: null,
    });
  });

  it('redacts secret-looking keys at every depth, in args and detail', () => {
    const prepared = prepareEntry({
      ...base,
      args: { service: 'web', token: 'abc', nested: { Password: 'p', list: [{ 'api-key': 'k', ok: 1 }] }, GITHUB_TOKEN: { deep: 'x' } },
      detail: { authorization: 'Bearer x', apiKey: 'k', api_key: 'k', passwd: 'p', client_secret: 's', credentials: ['a'], note: 'kept' },
    });
    expect(prepared.args).toEqual({
      service: 'web', token: REDACTED, nested: { Password: REDACTED, list: [{ 'api-key': REDACTED, ok: 1 }] }, GITHUB_TOKEN: REDACTED,
    });
    expect(prepared.detail).toEqual({
      authorization: REDACTED, apiKey: REDACTED, api_key: REDACTED, passwd: REDACTED, client_secret: REDACTED, credentials: REDACTED, note: 'kept',
    });
  });

  it('turns dates, errors and undefined members into their JSON form', () => {
    const error = Object.assign(new Error('boom'), { code: 'E_X' });
    const prepared = prepareEntry({ ...base, detail: { when: new Date('2025-01-01T00:00:00Z'), error, gone: undefined, list: [undefined, 1] } });
    expect(prepared.detail).toEqual({ when: '2025-01-01T00:00:00.000Z', error: { name: 'Error', message: 'boom', code: 'E_X' }, list: [null, 1] });
  });

  it('keeps a "__proto__" key as data instead of changing the prototype', () => {
    const prepared = prepareEntry({ ...base, args: JSON.parse('{"__proto__":{"polluted":true}}') as Record<string, unknown> });
    expect(Object.keys(prepared.args ?? {})).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rounds durations to whole milliseconds', () => {
    expect(prepareEntry({ ...base, durationMs: 12.6 }).durationMs).toBe(13);
  });

  it('makes strings storable unchanged on every backend', () => {
    expect(prepareEntry({ ...base, command: 'a\u0000b\uDC00' }).command).toBe('a\uFFFDb\uFFFD');
  });

  it('refuses an action that is not a dotted lower-case name', () => {
    expect(() => prepareEntry({ ...base, action: 'Executed' })).toThrow('audit entry action must be a dotted lower-case name such as command.executed, got "Executed"');
  });

  it('refuses an actor that is neither a qualified user id nor system', () => {
    expect(() => prepareEntry({ ...base, actor: 'alice' })).toThrow(/actor must be a qualified user id .* got "alice"/);
    expect(() => prepareEntry({ ...base, actor: 'discord:channel:1' })).toThrow(/actor must be a qualified user id/);
    expect(prepareEntry({ ...base, actor: 'system' }).actor).toBe('system');
  });

  it('refuses values JSON cannot carry exactly, naming where they are', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => prepareEntry({ ...base, args: { n: 10n } })).toThrow('audit entry args.n is a bigint');
    expect(() => prepareEntry({ ...base, args: { list: [1, Number.NaN] } })).toThrow('audit entry args.list[1] is NaN');
    expect(() => prepareEntry({ ...base, detail: { m: new Map() } })).toThrow('audit entry detail.m is a Map');
    expect(() => prepareEntry({ ...base, detail: circular })).toThrow('audit entry detail.self is a circular reference');
    expect(() => prepareEntry({ ...base, args: [1] as unknown as Record<string, unknown> })).toThrow('audit entry args is an array (expected an object)');
  });

  it('refuses a bad duration and non-text optional fields', () => {
    expect(() => prepareEntry({ ...base, durationMs: -1 })).toThrow(/durationMs must be a finite number of milliseconds >= 0, got -1/);
    expect(() => prepareEntry({ ...base, outcome: 3 as unknown as string })).toThrow('audit entry outcome must be a string, got number');
  });
});
