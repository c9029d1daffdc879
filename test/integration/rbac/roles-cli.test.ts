import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { runCli } from '../../support/run-cli.js';

let cwd: string;
beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'opsroom-roles-cli-'));
  // The bundled plugins are not what these tests are about, and their sandboxes take seconds to start.
  writeFileSync(join(cwd, 'opsroom.yaml'), 'plugins:\n  bundled: false\n');
});
afterEach(() => rmSync(cwd, { recursive: true, force: true }));

describe('opsroom roles', () => {
  it('grants and revokes as system, audited, and a later session sees the change', async () => {
    const granted = await runCli(['roles', 'grant', 'carol', 'approver'], { cwd });
    expect(granted).toMatchObject({ code: 0, stdout: 'granted approver to local:user:carol\n' });
    const revoked = await runCli(['roles', 'revoke', 'local:user:alice', 'operator'], { cwd });
    expect(revoked).toMatchObject({ code: 0, stdout: 'revoked operator from local:user:alice (its configuration binding is now hidden)\n' });

    const session = await runCli(['shell', '--as', 'alice'], { cwd, input: 'whoami\n/as bob\nroles show carol\n' });
    expect(session.stdout).toContain('You are alice (local:user:alice) on local.\nRoles: none');
    expect(session.stdout).toMatch(/local:user:carol\nRoles: approver \(granted by system, \d{4}-\d\d-\d\d \d\d:\d\d UTC\)/);

    const db = new BetterSqlite3(join(cwd, 'data', 'opsroom.db'), { readonly: true });
    onTestFinished(() => { db.close(); });
    const changes = db.prepare("select action, actor, detail from audit_log where action like 'rbac.%' order by seq").all();
    expect(changes).toEqual([
      { action: 'rbac.role.granted', actor: 'system', detail: '{"principal":"local:user:carol","role":"approver"}' },
      { action: 'rbac.role.revoked', actor: 'system', detail: '{"hidesConfigBinding":true,"principal":"local:user:alice","role":"operator"}' },
    ]);
  }, 60_000);

  it('lists roles by default and shows one user', async () => {
    const listed = await runCli(['roles'], { cwd });
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain('**admin** holds every permission\n  permissions: *\n  held by: local:user:bob');
    const shown = await runCli(['roles', 'show', 'discord:user:42'], { cwd });
    expect(shown.stdout).toBe([
      'discord:user:42', 'Roles: none of its own', 'Linked identities: none',
      'Roles from platform groups are not listed: they come with each message (see that user\'s `whoami`).', '',
    ].join('\n'));
  }, 30_000);

  it('refuses an unknown role and a user that is not a user, with status 2', async () => {
    const role = await runCli(['roles', 'grant', 'carol', 'wizard'], { cwd });
    expect(role).toMatchObject({
      code: 2, stdout: '',
      stderr: 'opsroom: There is no role "wizard". Known roles: admin, approver, operator (defined in rbac.roles of the configuration).\n',
    });
    const user = await runCli(['roles', 'revoke', 'discord:channel:1', 'admin'], { cwd });
    expect(user.code).toBe(2);
    expect(user.stderr).toMatch(/^opsroom: "discord:channel:1" is not a user/);
  }, 30_000);
});
