import { describe, expect, it } from 'vitest';
import { barChartSvg, escapeXml, tickStep } from '../../../src/reports/chart-svg.js';
import { alertsOfNotification, commitsOfPush, deliveryJson } from '../../../src/reports/feed-facts.js';
import { compact, dailyBuckets, formatDuration, median } from '../../../src/reports/report-math.js';
import { sparkline, textTable } from '../../../src/reports/text-table.js';

describe('report pieces', () => {
  it('draws a sparkline scaled to the largest value', () => {
    expect(sparkline([0, 1, 2, 4, 8])).toBe('▁▂▃▅█');
    expect(sparkline([0, 0])).toBe('▁▁');
  });

  it('pads a table and neutralises backticks in cells', () => {
    expect(textTable(['A', 'N'], [['x`y', '10'], ['long name', '2']], new Set([1]))).toBe('```\nA           N\n─────────  ──\nxˋy        10\nlong name   2\n```');
  });

  it('computes medians, daily buckets and compacted spans', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeUndefined();
    const days = dailyBuckets(new Date('2025-03-01T12:00:00Z'), new Date('2025-03-04T12:00:00Z'), [
      { at: Date.parse('2025-03-01T13:00:00Z'), ok: true }, { at: Date.parse('2025-03-03T01:00:00Z'), ok: false }, { at: Date.parse('2025-02-01T00:00:00Z'), ok: true },
    ]);
    expect(days).toEqual([
      { day: '2025-03-01', ok: 1, failed: 0 }, { day: '2025-03-02', ok: 0, failed: 0 }, { day: '2025-03-03', ok: 0, failed: 1 }, { day: '2025-03-04', ok: 0, failed: 0 },
    ]);
    expect(compact(days, 2)).toEqual([{ day: '2025-03-01', ok: 1, failed: 0 }, { day: '2025-03-03', ok: 0, failed: 1 }]);
    expect([formatDuration(45_000), formatDuration(720_000), formatDuration(4_500_000), formatDuration(90_000_000)]).toEqual(['45 s', '12 min', '1.3 h', '1 d']);
  });

  it('picks round axis steps and escapes chart text', () => {
    expect([tickStep(3), tickStep(12), tickStep(37), tickStep(260)]).toEqual([1, 5, 10, 100]);
    expect(escapeXml('<a & "b">')).toBe('&lt;a &amp; &quot;b&quot;&gt;');
    expect(barChartSvg({ title: 'T <x>', subtitle: 's', rows: [], series: [] })).toContain('nothing to show in this period');
  });

  it('reads the facts of GitHub pushes and Alertmanager notifications, and nothing else', () => {
    const push = { ref: 'refs/heads/main', repository: { full_name: 'acme/web' }, commits: [{ id: 'ABCDEF1', timestamp: '2025-03-09T10:00:00+02:00' }, { id: 'nope', timestamp: 'x' }] };
    expect(commitsOfPush('push', push)).toEqual({ source: 'github', repo: 'acme/web', branch: 'main', commits: [{ id: 'abcdef1', at: '2025-03-09T08:00:00.000Z' }] });
    expect(commitsOfPush('push', { ...push, ref: 'refs/tags/v1' })).toBeUndefined();
    expect(commitsOfPush('push', { ...push, deleted: true })).toBeUndefined();
    expect(commitsOfPush('pull_request', push)).toBeUndefined();
    const form = Buffer.from(`payload=${encodeURIComponent(JSON.stringify(push))}`);
    expect(deliveryJson({ 'content-type': 'application/x-www-form-urlencoded' }, form)).toEqual(push);
    expect(deliveryJson({}, Buffer.from('{not json'))).toBeUndefined();
    expect(alertsOfNotification({
      version: '4', alerts: [
        { status: 'firing', labels: { alertname: 'Down', service: 'api', env: 'prod' }, startsAt: '2025-03-01T00:00:00Z', endsAt: '0001-01-01T00:00:00Z' },
        { status: 'pending', labels: {}, startsAt: '2025-03-01T00:00:00Z' },
      ],
    })).toEqual({ source: 'alertmanager', alerts: [{ fingerprint: 'alertname=Down,env=prod,service=api', name: 'Down', service: 'api', status: 'firing', startsAt: '2025-03-01T00:00:00.000Z' }] });
    expect(alertsOfNotification({ version: '3', alerts: [] })).toBeUndefined();
  });
});
