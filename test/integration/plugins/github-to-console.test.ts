import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { OPSROOM_BIN } from '../../support/run-cli.js';

const PUSH = readFileSync(new URL('./fixtures/github-push.json', import.meta.url), 'utf8');
const SECRET = 'a-webhook-secret-shared-with-github';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 40_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function startOpsroom(cwd: string): { child: ChildProcessWithoutNullStreams; output: () => string } {
  const child = spawn(process.execPath, [OPSROOM_BIN, 'start', '-c', 'opsroom.yaml'], {
    cwd, env: { PATH: process.env.PATH, HOME: process.env.HOME, GITHUB_WEBHOOK_SECRET: SECRET }, stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  onTestFinished(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  return { child, output: () => `${stdout}${stderr ? `\n[stderr]\n${stderr}` : ''}` };
}

describe('feeds end to end', () => {
  it('shows a GitHub push to a local opsroom in the commits channel of the terminal console', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'opsroom-e2e-'));
    onTestFinished(() => rmSync(cwd, { recursive: true, force: true }));
    const port = await freePort();
    writeFileSync(join(cwd, 'opsroom.yaml'), [
      `http: { port: ${port} }`,
      'secrets:',
      '  GITHUB_WEBHOOK_SECRET: { env: GITHUB_WEBHOOK_SECRET }',
      'webhooks:',
      '  plugins:',
      '    github: { verify: github, secret: GITHUB_WEBHOOK_SECRET }',
      '',
    ].join('\n'));
    const { child, output } = startOpsroom(cwd);
    const base = `http://127.0.0.1:${port}`;
    await until('opsroom to answer /healthz', async () => {
      if (child.exitCode !== null) throw new Error(`opsroom exited with ${child.exitCode}:\n${output()}`);
      return (await fetch(`${base}/healthz`).then((r) => r.ok, () => false)) ? true : undefined;
    });

    const response = await fetch(`${base}/hooks/github`, {
      method: 'POST', body: PUSH,
      headers: {
        'content-type': 'application/json', 'user-agent': 'GitHub-Hookshot/4f9e0d1', 'x-github-event': 'push',
        'x-github-delivery': '0b9d7d40-f6d0-11ef-8f3a-6a1f5c2b9e01', 'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(PUSH).digest('hex')}`,
      },
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('posted to commits');

    const shown = await until('the push in the console', () => {
      const text = output();
      const at = text.indexOf('[#commits] ');
      return at >= 0 && text.includes('/compare/', at) ? text.slice(at) : undefined;
    });
    expect(shown.split('\n').slice(0, 6)).toEqual([
      '[#commits] **acme/web**: alice pushed 3 commits to `main`',
      '  ┌ [acme/web:main] 3 new commits',
      '  │ `1f3a9c2` Fix login redirect after session expiry (alice)',
      '  │ `2a4b6c8` Add rate limiting to the checkout API (bob)',
      '  │ `3b5c7d9` Bump express from 4.18.2 to 4.19.2 (dependabot[bot])',
      '  │ https://github.com/acme/web/compare/0d1c2b3a4f5e...3b5c7d9e1f2a',
    ]);

    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 90_000);
});
