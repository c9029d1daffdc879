import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../src/audit/audit-log.js';
import { actor, message } from '../../fakes/fake-adapter.js';
import { startMultiPlatformApp, type MultiPlatformApp } from './multi-platform-app.js';

let current: MultiPlatformApp | undefined;
afterEach(() => current?.logger.assertNoErrors());

const rbac = {
  roles: { admin: { permissions: ['*'] }, operator: { permissions: ['*', '!rbac:*'] } },
  bindings: [{ principal: 'discord:user:1', roles: ['operator'] }, { principal: 'discord:user:9', roles: ['admin'] }],
};

async function start(): Promise<MultiPlatformApp> {
  current = await startMultiPlatformApp({ rbac });
  return current;
}

/** Runs `link` as a Discord user and returns the code from the private answer. */
async function codeFor(app: MultiPlatformApp, who: string): Promise<string> {
  await app.discord.deliver(message('!link', { platform: 'discord', as: who, channel: { id: `discord:channel:dm-${who}`, isDirect: true } }));
  const answer = app.discord.sent.at(-1)?.message;
  expect(answer?.ephemeral).toBe(true);
  const code = /Your link code: ([A-Z0-9]{4}-[A-Z0-9]{4})/.exec(answer?.text ?? '')?.[1];
  if (code === undefined) throw new Error(`no link code in ${JSON.stringify(answer?.text)}`);
  return code;
}

describe('link', () => {
  it('links a Discord and a Teams identity with a code, so the roles of one apply to both; audited without the code', async () => {
    const app = await start();
    await app.teams.deliver(message('!whoami', { platform: 'teams', as: 'aad-1' }));
    expect(app.teams.lastText()).toContain('Roles: none');
    const code = await codeFor(app, '1');
    await app.teams.deliver(message(`!link ${code.toLowerCase()}`, { platform: 'teams', as: 'aad-1' }));
    expect(app.teams.lastText()).toBe('Linked teams:user:aad-1 to discord:user:1: the roles of either identity now apply to both.');
    await app.teams.deliver(message('!whoami', { platform: 'teams', as: 'aad-1' }));
    expect(app.teams.lastText()).toBe([
      'You are aad-1 (teams:user:aad-1) on teams.',
      'Roles: operator',
      'Linked identities: discord:user:1 (their roles apply to you too)',
    ].join('\n'));
    const audit = app.app.get<AuditLog>(AuditLog);
    expect(await audit.list({ action: 'rbac.identity.linked' })).toEqual([expect.objectContaining({
      actor: 'teams:user:aad-1', platform: 'teams', outcome: 'succeeded', detail: { principal: 'discord:user:1', linked: 'teams:user:aad-1' },
    })]);
    expect(await audit.list({ action: 'rbac.link.requested' })).toEqual([expect.objectContaining({ actor: 'discord:user:1' })]);
    const lines: string[] = [];
    await audit.export((line) => void lines.push(line));
    expect(lines.join('\n')).not.toContain(code);
    expect(lines.join('\n')).not.toContain(code.replace('-', ''));
  });

  it('gives a code only in a direct conversation, where nobody else can read it', async () => {
    const app = await start();
    await app.discord.deliver(message('!link', { platform: 'discord', as: '1' }));
    expect(app.discord.lastText()).toBe('A link code must stay private, and an answer here could be read by everyone: send me `link` in a direct message.');
    expect(await app.app.get<AuditLog>(AuditLog).list({ action: 'rbac.link.requested' })).toEqual([]);
  });

  it('accepts a code once', async () => {
    const app = await start();
    const code = await codeFor(app, '1');
    await app.teams.deliver(message(`!link ${code}`, { platform: 'teams', as: 'aad-1' }));
    await app.teams.deliver(message(`!link ${code}`, { platform: 'teams', as: 'aad-2' }));
    expect(app.teams.lastText()).toBe('That link code was already used; a code works once. Run `link` on your other platform to get a new one.');
    await app.teams.deliver(message('!whoami', { platform: 'teams', as: 'aad-2' }));
    expect(app.teams.lastText()).toContain('Roles: none');
  });

  it('refuses a code after ten minutes', async () => {
    const app = await start();
    const code = await codeFor(app, '1');
    app.clock.advance(10 * 60_000);
    await app.teams.deliver(message(`!link ${code}`, { platform: 'teams', as: 'aad-1' }));
    expect(app.teams.lastText()).toMatch(/^That link code expired at \d\d:\d\d UTC; codes last 10 minutes\. Run `link`/);
  });

  it('refuses a wrong code, a malformed one, and a code typed by its own issuer', async () => {
    const app = await start();
    const code = await codeFor(app, '1');
    const other = code.startsWith('Z') ? 'YYYY-YYYY' : 'ZZZZ-ZZZZ';
    await app.teams.deliver(message(`!link ${other}`, { platform: 'teams', as: 'aad-1' }));
    expect(app.teams.lastText()).toBe('That link code does not exist; check it for typos. Run `link` on your other platform to get a new one.');
    await app.teams.deliver(message('!link hello', { platform: 'teams', as: 'aad-1' }));
    expect(app.teams.lastText()).toMatch(/^That is not a link code: a code is 8 letters and digits/);
    await app.discord.deliver(message(`!link ${code}`, { platform: 'discord', as: '1' }));
    expect(app.discord.lastText()).toBe('You created that code yourself: type it as your identity on the other platform.');
  });

  it('keeps one identity per platform, and lets an admin undo a link', async () => {
    const app = await start();
    await app.teams.deliver(message(`!link ${await codeFor(app, '1')}`, { platform: 'teams', as: 'aad-1' }));
    await app.teams.deliver(message(`!link ${await codeFor(app, '5')}`, { platform: 'teams', as: 'aad-1' }));
    expect(app.teams.lastText()).toMatch(/^Cannot link: .* are both on (discord|teams), and one person has one identity per platform/);
    await app.discord.deliver(message('!roles unlink <@1>', { platform: 'discord', actor: actor('9', 'discord') }));
    expect(app.discord.lastText()).toBe('Unlinked discord:user:1 from teams:user:aad-1.');
    await app.teams.deliver(message('!whoami', { platform: 'teams', as: 'aad-1' }));
    expect(app.teams.lastText()).toBe('You are aad-1 (teams:user:aad-1) on teams.\nRoles: none (you may run read-only commands only)');
    expect(await app.app.get<AuditLog>(AuditLog).list({ action: 'rbac.identity.unlinked' })).toEqual([expect.objectContaining({
      actor: 'discord:user:9', detail: { principal: 'discord:user:1', from: ['teams:user:aad-1'] },
    })]);
  });
});
