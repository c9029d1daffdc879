import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../support/run-cli.js';

let cwd: string;
beforeEach(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'opsroom-audit-cli-'));
  const session = await runCli(['shell', '--as', 'alice'], { cwd, input: 'ping\nwhoami\nwishlist\naudit 3\n' });
  expect(session.code).toBe(0);
});
afterEach(() => rmSync(cwd, { recursive: true, force: true }));

function editDatabase(edit: (db: BetterSqlite3.Database) => void): void {
  const db = new BetterSqlite3(join(cwd, 'data', 'opsroom.db'));
  try {
    edit(db);
  } finally {
    db.close();
  }
}

describe('opsroom audit', () => {
  it('verifies an intact chain with status 0', async () => {
    const result = await runCli(['audit', 'verify'], { cwd });
    expect(result.stdout).toMatch(/^audit chain intact: (\d+) entries verified\n$/);
    expect(Number(/(\d+) entries/.exec(result.stdout)?.[1])).toBeGreaterThanOrEqual(8);
    expect(result.code).toBe(0);
  });

  it('names the first bad entry when a row was altered in the file', async () => {
    editDatabase((db) => db.prepare("update audit_log set actor = 'local:user:bob' where seq = 3").run());
    const result = await runCli(['audit', 'verify'], { cwd });
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/^audit chain BROKEN at entry 3: .*altered/);
  });

  it('names the gap when a row was deleted from the file', async () => {
    editDatabase((db) => db.prepare('delete from audit_log where seq = 4').run());
    const result = await runCli(['audit', 'verify'], { cwd });
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/^audit chain BROKEN at entry 5: .*(deleted|jumps)/);
  });

  it('notices rows that were reordered', async () => {
    editDatabase((db) => {
      const rows = db.prepare('select * from audit_log where seq in (5, 6) order by seq').all() as Array<Record<string, unknown>>;
      const update = db.prepare('update audit_log set at = ?, action = ?, actor = ?, command = ?, args = ?, outcome = ?, duration_ms = ?, invocation_id = ?, detail = ?, prev_hash = ?, hash = ? where seq = ?');
      const [a, b] = rows as [Record<string, unknown>, Record<string, unknown>];
      const values = (r: Record<string, unknown>) => [r.at, r.action, r.actor, r.command, r.args, r.outcome, r.duration_ms, r.invocation_id, r.detail, r.prev_hash, r.hash];
      update.run(...values(b), 5);
      update.run(...values(a), 6);
    });
    const result = await runCli(['audit', 'verify'], { cwd });
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/^audit chain BROKEN at entry 5: /);
  });

  it('exports the log as JSON lines, oldest first', async () => {
    const result = await runCli(['audit', 'export', '--format', 'jsonl', '--out', 'audit.jsonl'], { cwd });
    expect(result.code).toBe(0);
    const text = readFileSync(join(cwd, 'audit.jsonl'), 'utf8');
    expect(result.stderr).toMatch(/wrote \d+ audit entries/);
    const lines = text.trim().split('\n').map((l) => JSON.parse(l) as { seq: number; action: string; hash: string });
    expect(lines.map((l) => l.seq)).toEqual(lines.map((_, i) => i + 1));
    expect(lines.find((l) => l.action === 'command.received')).toMatchObject({ command: 'ping', actor: 'local:user:alice' });
    expect(lines[0]?.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses an unknown export format', async () => {
    const result = await runCli(['audit', 'export', '--format', 'csv'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('opsroom: unknown export format "csv" (expected jsonl)\n');
  });
});
