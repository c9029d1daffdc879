import { describe, expect, it } from 'vitest';
import { jobIdOf } from '../../../src/cluster/job-protocol.js';
import { fromWire, toWire } from '../../../src/cluster/wire-error.js';
import { fromWireResult, toWireResult } from '../../../src/cluster/wire-message.js';
import { OpsroomError, UserError } from '../../../src/core/errors.js';

describe('errors between processes', () => {
  it('keep their code, audience, message, hint and name, and never a stack', () => {
    const user = fromWire(JSON.parse(JSON.stringify(toWire(new UserError('E_BAD_ARGS', 'bad', { hint: 'usage: x' })))));
    expect(user).toBeInstanceOf(UserError);
    expect(user).toMatchObject({ code: 'E_BAD_ARGS', message: 'bad', hint: 'usage: x', audience: 'user' });
    const denied = Object.assign(new UserError('E_CAPABILITY_DENIED', 'no net'), { name: 'CapabilityDenied' });
    expect(fromWire(toWire(denied)).name).toBe('CapabilityDenied');
    const system = fromWire(toWire(new OpsroomError('E_STORAGE', 'db down')));
    expect(system).toMatchObject({ code: 'E_STORAGE', audience: 'system' });
    expect(JSON.stringify(toWire(new TypeError('x is undefined')))).not.toContain('at ');
  });

  it('turn anything else into E_INTERNAL going out, and an unknown code into E_CLUSTER coming in', () => {
    expect(toWire(new TypeError('x is undefined'))).toEqual({ code: 'E_INTERNAL', message: 'x is undefined', name: 'TypeError' });
    expect(fromWire({ code: 'E_FROM_THE_FUTURE', message: 'hm' })).toMatchObject({ code: 'E_CLUSTER', message: expect.stringContaining('"E_FROM_THE_FUTURE": hm') });
    expect(fromWire(undefined)).toMatchObject({ code: 'E_CLUSTER' });
  });
});

describe('command results between processes', () => {
  it('survive JSON: text, nothing, and messages with attachments', () => {
    const trip = (value: Parameters<typeof toWireResult>[0]) => fromWireResult(JSON.parse(JSON.stringify(toWireResult(value))));
    expect(trip('pong')).toBe('pong');
    expect(trip(undefined)).toBeUndefined();
    const message = trip({ text: 'chart', card: { title: 't' }, attachments: [{ name: 'a.png', contentType: 'image/png', data: new Uint8Array([255, 0]) }] });
    expect(message).toEqual({ text: 'chart', card: { title: 't' }, attachments: [{ name: 'a.png', contentType: 'image/png', data: Buffer.from([255, 0]) }] });
  });
});

describe('job ids', () => {
  it('are the invocation id with a prefix BullMQ accepts, even for an id of digits', () => {
    expect(jobIdOf('command', '12345678901200001')).toBe('inv_12345678901200001');
    expect(jobIdOf('plugin.event', 'a:b')).toBe('evt_a_b');
    expect(jobIdOf('plugin.admin', 'x')).toBe('adm_x');
  });
});
