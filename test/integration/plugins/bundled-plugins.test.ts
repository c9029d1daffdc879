import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { BUNDLED_PLUGINS_DIR } from '../../../src/plugins/plugin-manager.js';
import { runPluginTests } from '../../../src/plugins/harness/plugin-test-command.js';

const bundled = readdirSync(BUNDLED_PLUGINS_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(BUNDLED_PLUGINS_DIR, entry.name, 'plugin.json')))
  .map((entry) => entry.name)
  .sort();

/** Runs `opsroom plugin test` in-process and keeps what it printed. */
async function pluginTest(dir: string, file?: string): Promise<{ code: number; output: string }> {
  let output = '';
  const code = await runPluginTests(dir, file === undefined ? {} : { file }, (text) => {
    output += text;
    return true;
  });
  return { code, output };
}

function conversationFile(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'opsroom-broken-conversation-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'broken.yaml');
  writeFileSync(file, yaml);
  return file;
}

describe('the bundled plugins', () => {
  it('include the eight plugins of issue 3', () => {
    expect(bundled).toEqual(expect.arrayContaining(['batch', 'db', 'deploy', 'itest', 'logs', 'restart', 'status', 'users']));
  });

  it.each(bundled)('%s passes every conversation in its tests folder', async (name) => {
    const { code, output } = await pluginTest(join(BUNDLED_PLUGINS_DIR, name));
    expect(output, output).not.toContain('FAIL');
    expect(output).toMatch(/^[1-9]\d* passed, 0 failed$/m);
    expect(code, output).toBe(0);
  }, 180_000);
});

describe('opsroom plugin test', () => {
  it('fails a conversation whose expected reply is wrong and whose plugin makes a request nobody scripted, naming both', async () => {
    const file = conversationFile([
      'name: a deliberately broken conversation',
      'config: { repository: acme/platform }',
      'commandRisk: { deploy: low }',
      'secrets: { GITHUB_TOKEN: ghp_test_token }',
      'steps:',
      '  - say: deploy web staging',
      '    replies: ["Deployed web to staging."]',
      '',
    ].join('\n'));
    const { code, output } = await pluginTest(join(BUNDLED_PLUGINS_DIR, 'deploy'), file);
    expect(code, output).toBe(1);
    expect(output).toContain('FAIL a deliberately broken conversation');
    expect(output).toContain('unexpected request POST https://api.github.com/repos/acme/platform/actions/workflows/deploy.yml/dispatches (the script expects no more requests)');
    expect(output).toMatch(/step 1 \("deploy web staging"\): answered "Could not call GitHub to deploy web: .*", expected "Deployed web to staging\."/);
    expect(output).toContain('0 passed, 1 failed');
  }, 60_000);

  it('fails a conversation whose scripted request differs from the one made, showing each difference and never the secret', async () => {
    const file = conversationFile([
      'name: a request that does not match',
      'config: { repository: acme/platform }',
      'commandRisk: { deploy: low }',
      'secrets: { GITHUB_TOKEN: ghp_test_token }',
      'http:',
      '  - request:',
      '      method: POST',
      '      url: https://api.github.com/repos/acme/platform/actions/workflows/deploy.yml/dispatches',
      '      headers: { authorization: Bearer another-token }',
      '      json: { ref: main, inputs: { env: prod, service: web } }',
      '    response: { status: 204 }',
      '  - request: { url: "https://api.github.com/never-called" }',
      'steps:',
      '  - say: deploy web staging',
      '    replyContains: ["started"]',
      '',
    ].join('\n'));
    const { code, output } = await pluginTest(join(BUNDLED_PLUGINS_DIR, 'deploy'), file);
    expect(code, output).toBe(1);
    expect(output).toContain('FAIL a request that does not match');
    expect(output).toContain('request 1: JSON body {"ref":"main","inputs":{"env":"staging","service":"web"}}, expected {"ref":"main","inputs":{"env":"prod","service":"web"}}');
    expect(output).toMatch(/request 1: header authorization is "Bearer [^"]*", expected "Bearer another-token"/);
    expect(output).not.toContain('ghp_test_token');
    expect(output).toContain('expected request never made: GET https://api.github.com/never-called');
  }, 60_000);
});
