import { describe, expect, it } from 'vitest';
import { CallBudget, CpuMeter } from '../../../src/sandbox/runner/call-budget.js';

describe('CpuMeter', () => {
  it('charges the time to the call whose operation is running', () => {
    const meter = new CpuMeter(1_000);
    const busy = new CallBudget(200e6, 30_000, 0);
    const idle = new CallBudget(200e6, 30_000, 0);
    meter.charge(5_000, [busy, idle], 2, busy);
    expect([busy.cpuNs, idle.cpuNs]).toEqual([4_000, 0]);
  });

  it('shares time nobody can be blamed for equally among the calls in flight', () => {
    const meter = new CpuMeter(0);
    const a = new CallBudget(200e6, 30_000, 0);
    const b = new CallBudget(200e6, 30_000, 0);
    meter.charge(6_000, [a, b], 2);
    meter.charge(6_000, [a, b], 2);
    expect([a.cpuNs, b.cpuNs]).toEqual([3_000, 3_000]);
  });

  it('charges nothing when no call is in flight, and does not carry that time over', () => {
    const meter = new CpuMeter(0);
    const later = new CallBudget(200e6, 30_000, 0);
    meter.charge(9_000, [], 0);
    meter.charge(10_000, [later], 1);
    expect(later.cpuNs).toBe(1_000);
  });
});

describe('CallBudget', () => {
  it('reports CPU before wall time, and nothing while within both', () => {
    const budget = new CallBudget(100e6, 1_000, 50);
    expect(budget.overrun(500)).toBeUndefined();
    expect(budget.overrun(1_050)).toBe('wall');
    budget.cpuNs = 100e6 + 1;
    expect(budget.overrun(1_050)).toBe('cpu');
  });
});
