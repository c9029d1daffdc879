import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../support/run-cli.js';

let cwd: string;
beforeEach(() => { cwd = mkdtempSync(join(tmpdir(), 'opsroom-shell-')); });
afterEach(() => rmSync(cwd, { recursive: true, force: true }));

describe('opsroom shell (not a TTY)', () => {
  it('answers ping, help, an unknown command and the wishlist, one reply per line, and exits 0', async () => {
    const result = await runCli(['shell', '--as', 'alice'], { cwd, input: 'ping\nhelp\nfrobnicate\nwishlist\n' });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const out = result.stdout;
    expect(out.split('\n')[0]).toBe('pong');
    expect(out).toContain('Commands you may run');
    expect(out).toMatch(/`ping` Checks that opsroom is listening/);
    expect(out).toMatch(/There is no command `frobnicate`\. Nearest commands: `\w+`, `\w+`, `\w+`\./);
    expect(out).toMatch(/Wishlist[^\n]*\n1\. `frobnicate` asked 1× by alice/);
  });

  it('switches identity with /as and reports an unknown demo user', async () => {
    const result = await runCli(['shell'], { cwd, input: 'whoami\n/as bob\nwhoami\n/as carol\n' });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/You are alice \(local:user:alice\)[\s\S]*Roles: operator/);
    expect(result.stdout).toMatch(/You are bob \(local:user:bob\)[\s\S]*Roles: admin, approver/);
    expect(result.stdout).toContain('No demo user "carol". Known users: alice, bob.');
  });

  it('refuses --as for a user that does not exist, with status 2', async () => {
    const result = await runCli(['shell', '--as', 'mallory'], { cwd, input: 'ping\n' });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('opsroom: no demo user "mallory" (known: alice, bob)\n');
  });

  it('refuses an invalid configuration at start, listing every problem and no stack trace', async () => {
    writeFileSync(join(cwd, 'opsroom.yaml'), 'bot:\n  prefix: ""\nhttp:\n  port: 99999\n');
    const result = await runCli(['shell'], { cwd, input: 'ping\n' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^opsroom: .*opsroom\.yaml has 2 problems:\n  - bot\.prefix: too small \(expected at least 1 characters\)\n  - http\.port: too big \(expected <= 65535\)\n$/);
    expect(result.stderr).not.toMatch(/at .*\.ts:\d+/);
    expect(result.stdout).toBe('');
  });

  it('keeps the data it wrote: a second session sees the first one\'s wishlist', async () => {
    await runCli(['shell'], { cwd, input: 'deploy-all\n' });
    const second = await runCli(['shell', '--as', 'bob'], { cwd, input: 'deploy-all\nwishlist\n' });
    expect(second.stdout).toMatch(/`deploy-all` asked 2× by (alice, bob|bob, alice)/);
  });
});

describe('opsroom config check', () => {
  it('accepts a valid file and exits 0', async () => {
    writeFileSync(join(cwd, 'good.yaml'), 'bot:\n  prefix: "?"\n');
    const result = await runCli(['config', 'check', 'good.yaml'], { cwd });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/good\.yaml is valid/);
  });

  it('lists every problem of a bad file and exits 2', async () => {
    writeFileSync(join(cwd, 'bad.yaml'), 'logging:\n  level: loud\nstorage:\n  sqlitePath: 5\nsurprise: true\n');
    const result = await runCli(['config', 'check', 'bad.yaml'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('has 3 problems');
    expect(result.stderr).toContain('  - logging.level: "loud" is not allowed (expected one of');
    expect(result.stderr).toContain('  - storage.sqlitePath: wrong type (expected string, got number)');
    expect(result.stderr).toContain('  - (top level): unknown key "surprise"');
  });
});
