import { describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../../src/config/config-schema.js';
import { FakeAdapter, actor, message } from '../../fakes/fake-adapter.js';
import { startTestApp } from '../../support/test-app.js';

const RBAC: ConfigInput['rbac'] = {
  roles: {
    operator: { permissions: ['*', '!rbac:*'] },
    viewer: { permissions: ['reports:read'] },
  },
  bindings: [
    { principal: 'local:user:alice', roles: ['operator'] },
    { principal: 'local:user:carol', roles: ['viewer'] },
    { principal: 'discord:user:444444444444444444', roles: ['operator'] },
  ],
};

describe('history', () => {
  it('shows who ran what, where and how it went, newest first', async () => {
    const { adapter } = await startTestApp({ rbac: RBAC });
    await adapter.deliver(message('!ping', { as: 'alice' }));
    await adapter.deliver(message('!audit 3 --command deploy', { as: 'alice' }));
    await adapter.deliver(message('!audit', { as: 'carol' }));
    await adapter.deliver(message('!history', { as: 'alice' }));
    const lines = adapter.lastText().split('\n');
    expect(lines[0]).toBe('History for all commands, the last 30 days (newest first, 3 shown):');
    expect(lines[1]).toMatch(/^• \d{4}-\d\d-\d\d \d\d:\d\d UTC · carol in #ops · `audit 10` · ⛔ denied$/);
    expect(lines[2]).toMatch(/^• .* UTC · alice in #ops · `audit 3 --command deploy` · ✅ succeeded in \d+ ms$/);
    expect(lines[3]).toMatch(/^• .* UTC · alice in #ops · `ping` · ✅ succeeded in \d+ ms$/);
  });

  it('hides the arguments of commands the caller could not run, and never matches on them', async () => {
    const { adapter } = await startTestApp({ rbac: RBAC });
    await adapter.deliver(message('!audit 3 --command deploy', { as: 'alice' }));
    await adapter.deliver(message('!history deploy', { as: 'alice' }));
    expect(adapter.lastText()).toContain('`audit 3 --command deploy` · ✅ succeeded');
    await adapter.deliver(message('!history deploy', { as: 'carol' }));
    expect(adapter.lastText()).toBe('No commands found for "deploy", the last 30 days.');
    await adapter.deliver(message('!history audit', { as: 'carol' }));
    expect(adapter.lastText()).toContain('· alice in #ops · `audit …` (arguments hidden: you may not run audit) · ✅ succeeded');
    expect(adapter.lastText()).not.toContain('deploy');
  });

  it('narrows by user and time, and explains a bad --since', async () => {
    const { adapter } = await startTestApp({ rbac: RBAC });
    await adapter.deliver(message('!ping', { as: 'alice' }));
    await adapter.deliver(message('!ping', { as: 'carol' }));
    await adapter.deliver(message('!history ping --user carol --since 2h', { as: 'alice' }));
    expect(adapter.lastText()).toMatch(/^History for "ping", by local:user:carol, the last 2 hours \(newest first, 1 shown\):\n• .* carol in #ops · `ping`/);
    await adapter.deliver(message('!history ping --since yesterday', { as: 'alice' }));
    expect(adapter.lastText()).toBe('--since "yesterday" is neither a span such as 30m, 12h, 7d or 2w nor a date such as 2025-01-31');
  });

  it('links the chat message on Discord and names people and channels as Discord shows them', async () => {
    const { adapter } = await startTestApp({ rbac: RBAC, adapters: { discord: { guildId: '111111111111111111' } } }, { adapter: new FakeAdapter('discord') });
    const where = { id: 'discord:channel:333333333333333333', name: 'ops', isDirect: false };
    const who = { ...actor('444444444444444444', 'discord'), name: 'Alice' };
    await adapter.deliver(message('!ping', { platform: 'discord', actor: who, channel: where, messageId: '222222222222222222' }));
    await adapter.deliver(message('!history ping', { platform: 'discord', actor: who, channel: where }));
    expect(adapter.lastText()).toContain(
      '<@444444444444444444> in <#333333333333333333> · `ping` · ✅ succeeded in 0 ms · [message](https://discord.com/channels/111111111111111111/333333333333333333/222222222222222222)',
    );
  });
});
