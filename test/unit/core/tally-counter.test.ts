import { describe, expect, it } from 'vitest';
import { MetricsImpl } from '../../../src/core/metrics.js';

describe('the tallied counters', () => {
  it('show every count at each scrape, once, whatever the order of labels and scrapes', async () => {
    const metrics = new MetricsImpl();
    metrics.events.inc({ platform: 'discord', type: 'message' });
    metrics.events.inc({ type: 'message', platform: 'discord' });
    metrics.events.inc({ platform: 'teams', type: 'reaction' });
    metrics.commands.inc({ outcome: 'denied' });
    const first = await metrics.registry.metrics();
    expect(first).toMatch(/^opsroom_events_received_total\{platform="discord",type="message"\} 2$/m);
    expect(first).toMatch(/^opsroom_events_received_total\{platform="teams",type="reaction"\} 1$/m);
    expect(first).toMatch(/^opsroom_commands_total\{outcome="denied"\} 1$/m);
    metrics.events.inc({ platform: 'discord', type: 'message' });
    const second = await metrics.registry.metrics();
    expect(second).toMatch(/^opsroom_events_received_total\{platform="discord",type="message"\} 3$/m);
    expect(second).toMatch(/^opsroom_commands_total\{outcome="denied"\} 1$/m);
  });
});
