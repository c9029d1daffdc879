import { afterEach, describe, expect, it } from 'vitest';
import { renderMessage as renderDiscord } from '../../../adapters/discord/render-message.js';
import { MESSAGE_LIMIT } from '../../../adapters/discord/split-text.js';
import { renderText } from '../../../adapters/local/render-text.js';
import { renderMessage as renderTeams } from '../../../adapters/teams/render-message.js';
import type { OutboundMessage } from '../../../src/core/message.js';
import { PluginManager } from '../../../src/plugins/plugin-manager.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

const ALERTS_PLUGIN = new URL('../../../plugins/alerts', import.meta.url).pathname;

let current: TestApp | undefined;
afterEach(() => current?.logger.assertNoErrors());

function bigGroup(count: number): string {
  const alerts = Array.from({ length: count }, (_, i) => ({
    status: 'firing',
    labels: { alertname: 'DiskFilling', instance: `db-${String(i).padStart(2, '0')}:9100`, mountpoint: '/var/lib/postgresql', severity: 'warning' },
    annotations: {
      summary: `Disk /var/lib/postgresql on db-${String(i).padStart(2, '0')} is ${80 + (i % 20)}% full and grows by about 2% an hour, so it fills within a day (alert ${i})`,
      runbook_url: `https://runbooks.acme.example/storage/disk-filling#db-${i}`,
    },
    startsAt: '2025-03-01T13:15:00.000Z', endsAt: '0001-01-01T00:00:00Z', generatorURL: 'http://prometheus.acme.example:9090/graph', fingerprint: i.toString(16).padStart(16, '0'),
  }));
  return JSON.stringify({
    receiver: 'opsroom', status: 'firing', alerts, groupLabels: { alertname: 'DiskFilling' },
    commonLabels: { alertname: 'DiskFilling', mountpoint: '/var/lib/postgresql', severity: 'warning' }, commonAnnotations: {},
    externalURL: 'http://alertmanager.acme.example:9093', version: '4', groupKey: '{}:{alertname="DiskFilling"}', truncatedAlerts: 0,
  });
}

describe('posts are platform-neutral and long ones are never cut silently', () => {
  it('renders a 50-alert notification on the console, on Discord (split or attached) and on Teams (split) with every line', async () => {
    current = await startTestApp({ plugins: { bundled: false, paths: [ALERTS_PLUGIN], grants: { alerts: 'all' }, config: { alerts: { maxAlerts: 50 } } } });
    const result = await current.app.get<PluginManager>(PluginManager).deliver('alerts', { kind: 'webhook' }, { method: 'POST', headers: {}, query: {}, body: bigGroup(50) });
    expect(result).toEqual({ status: 200, body: 'posted to monit' });
    const posted = current.adapter.sent.filter((s) => s.channelId === 'local:channel:monit');
    expect(posted).toHaveLength(1);
    const message = posted[0]?.message as OutboundMessage;
    const lines = Array.from({ length: 50 }, (_, i) => `(alert ${i})`);
    expect(message.text.length).toBeGreaterThan(5 * MESSAGE_LIMIT);
    expect(message.card).toMatchObject({ title: 'DiskFilling: 🔥 FIRING 50' });

    const console = renderText(message);
    for (const line of lines) expect(console).toContain(line);

    const discord = renderDiscord(message);
    const discordText = discord.map((part) => `${part.body.content ?? ''}${part.files.map((f) => Buffer.from(f.data as Buffer).toString('utf8')).join('')}`).join('\n');
    for (const line of lines) expect(discordText).toContain(line);
    for (const part of discord) expect((part.body.content ?? '').length).toBeLessThanOrEqual(MESSAGE_LIMIT);
    expect(discord.at(-1)?.body.embeds?.[0]?.title).toBe('DiskFilling: 🔥 FIRING 50');

    const teams = renderTeams(message);
    const teamsText = JSON.stringify(teams);
    for (const line of lines) expect(teamsText).toContain(line);
    expect(teams.length).toBeGreaterThanOrEqual(1);
  });
});
