import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../support/run-cli.js';

let cwd: string;
beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'opsroom-approval-shell-'));
  writeFileSync(join(cwd, 'opsroom.yaml'), 'approvals:\n  risk:\n    ping: high\n');
});
afterEach(() => rmSync(cwd, { recursive: true, force: true }));

describe('approvals in the terminal console (point 11)', () => {
  it('lets alice request and bob approve with /react on the request message, all in one script', async () => {
    const result = await runCli(['shell', '--as', 'alice'], { cwd, input: 'ping\n/as bob\n/react m2 ✅\n' });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^alice asks to run `ping` - needs 1 approval from approver - react ✅ to approve, ❌ to deny .* - expires \d\d:\d\d UTC - id [a-z2-9]{6}$/);
    expect(result.stdout).toContain('  (message m2: /react m2 ✅)');
    expect(result.stdout).toMatch(/\(m2 updated\) ✅ `ping` \(asked by alice, id [a-z2-9]{6}\) approved by bob - running\npong\n/);
    expect(result.stdout.match(/^pong$/gm)).toHaveLength(1);
  });

  it('keeps the request across sessions: bob approves it by id after a restart', async () => {
    const first = await runCli(['shell', '--as', 'alice'], { cwd, input: 'ping\n' });
    const id = /- id ([a-z2-9]{6})$/m.exec(first.stdout)?.[1];
    expect(id).toBeDefined();
    expect(first.stdout).not.toMatch(/^pong$/m);
    const second = await runCli(['shell', '--as', 'bob'], { cwd, input: `/react m2 ✅\napprovals\napprove ${id}\n` });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`- ${id}: \`ping\` asked by alice in local:channel:ops - 0 of 1 approvals from approver`);
    expect(second.stdout.match(/^pong$/gm)).toHaveLength(1);
    expect(second.stdout).toContain(`You approved ${id}, the last approval it needed`);
  });
});
