import { describe, expect, it } from 'vitest';
import { checkCapabilityCall, checkCapabilityShape } from '../../../src/sandbox/capability-check.js';

describe('checkCapabilityCall', () => {
  it('accepts a well-formed call and parses its arguments into plain data', () => {
    expect(checkCapabilityCall('storage', 'set', '["k",{"v":1}]', 'request')).toEqual({ ok: true, call: { capability: 'storage', method: 'set', args: ['k', { v: 1 }] } });
    expect(checkCapabilityCall('log', 'warn', '["careful"]', 'note')).toMatchObject({ ok: true });
  });

  it.each([
    ['an unknown capability', 'shell', 'exec', '[]', 'request', 'unknown capability shell'],
    ['an unknown method', 'storage', 'drop', '[]', 'request', 'ctx.storage has no method drop'],
    ['a method inherited from Object.prototype', 'storage', 'constructor', '[]', 'request', 'ctx.storage has no method constructor'],
    ['a log line sent as a request', 'log', 'info', '["x"]', 'request', 'log.info cannot be called this way'],
    ['a reply sent as a note', 'reply', 'reply', '["x"]', 'note', 'reply.reply cannot be called this way'],
    ['arguments that are not text', 'reply', 'reply', ['x'], 'request', 'capability arguments must be JSON text'],
    ['arguments that are not JSON', 'reply', 'reply', '[x', 'request', 'the arguments of ctx.reply are not valid JSON'],
    ['arguments that are not a list', 'reply', 'reply', '{"0":"x"}', 'request', 'ctx.reply takes at most 1 argument'],
    ['too many arguments', 'fetch', 'fetch', '["u",{},3]', 'request', 'ctx.fetch takes at most 2 arguments'],
    ['arguments over 1 MiB', 'reply', 'reply', JSON.stringify(['é'.repeat(600 * 1024)]), 'request', 'the arguments of ctx.reply are larger than 1 MiB'],
  ] as const)('refuses %s', (_, capability, method, args, style, reason) => {
    expect(checkCapabilityCall(capability, method, args, style)).toEqual({ ok: false, reason });
  });

  it('drops __proto__ keys from arguments', () => {
    const checked = checkCapabilityCall('storage', 'set', '["k",{"__proto__":{"admin":true},"v":1}]', 'request');
    expect(checked.ok && Object.assign({}, checked.call.args[1])).toEqual({ v: 1 });
  });
});

describe('checkCapabilityShape', () => {
  it('checks names and size without parsing', () => {
    expect(checkCapabilityShape('runbook', 'runbook', 'not parsed here', 'request')).toBeUndefined();
  });
});
