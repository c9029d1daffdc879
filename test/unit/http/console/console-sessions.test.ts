import { describe, expect, it } from 'vitest';
import { ConsoleSessionsImpl } from '../../../../src/http/console/console-sessions.js';
import { consoleSettingsOf } from '../../../../src/http/console/console-settings.js';
import { FakeClock } from '../../../fakes/fake-clock.js';

function sessions(clock = new FakeClock()) {
  const settings = consoleSettingsOf({ enabled: true, origins: [], sessionIdleMinutes: 60, loginLinkMinutes: 10 }, '/nowhere');
  return { clock, sessions: new ConsoleSessionsImpl(settings, clock) };
}

describe('ConsoleSessions', () => {
  it('spends a login token once, on a session found by its cookie', () => {
    const { sessions: s } = sessions();
    const token = s.issueLoginToken();
    const first = s.redeem(token);
    if (!first.ok) throw new Error(first.reason);
    expect(s.find(first.cookie)).toBe(first.session);
    expect(first.session.key).not.toContain(first.cookie);
    expect(s.redeem(token)).toEqual({ ok: false, reason: expect.stringContaining('already used') });
    expect(s.find('not-a-cookie')).toBeUndefined();
  });

  it('lets an unused login link expire', () => {
    const { clock, sessions: s } = sessions();
    const token = s.issueLoginToken();
    clock.advance(10 * 60_000 + 1);
    expect(s.redeem(token).ok).toBe(false);
  });

  it('ends a session idle for too long, telling listeners, while use or an open page keeps it', () => {
    const { clock, sessions: s } = sessions();
    const ended: string[] = [];
    s.onDidEnd((key) => ended.push(key));
    const a = s.redeem(s.issueLoginToken());
    const b = s.redeem(s.issueLoginToken());
    if (!a.ok || !b.ok) throw new Error('login failed');
    clock.advance(50 * 60_000);
    expect(s.touch(a.session.key)).toBe(true);
    clock.advance(50 * 60_000);
    expect(s.find(a.cookie)).toBeDefined();
    expect(s.find(b.cookie)).toBeUndefined();
    expect(ended).toEqual([b.session.key]);
  });

  it('compares the CSRF token exactly', () => {
    const { sessions: s } = sessions();
    const login = s.redeem(s.issueLoginToken());
    if (!login.ok) throw new Error(login.reason);
    expect(s.csrfMatches(login.session, login.session.csrfToken)).toBe(true);
    expect(s.csrfMatches(login.session, `${login.session.csrfToken}x`)).toBe(false);
    expect(s.csrfMatches(login.session, undefined)).toBe(false);
    expect(s.csrfMatches(login.session, '')).toBe(false);
  });
});
