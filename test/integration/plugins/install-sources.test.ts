import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../src/audit/audit-log.js';
import { UserError } from '../../../src/core/errors.js';
import { formatInstalled } from '../../../src/plugins/install/install-report.js';
import { message } from '../../fakes/fake-adapter.js';
import { tgz, pluginFiles } from '../../support/tar-writer.js';
import { folderPlugin, leftovers, startInstallBed, type InstallBed } from './install-bed.js';

let bed: InstallBed | undefined;
afterEach(() => bed?.logger.assertNoErrors());

const ASKS = { net: ['api.github.com'], secrets: { GITHUB_TOKEN: ['api.github.com'] }, webhook: true };
const HELLO_CODE = `export default {
  commands: { hello: async () => 'hello from hello 1.0.0' },
  async onWebhook() { return { status: 204 }; },
};\n`;

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

async function refusal(work: Promise<unknown>): Promise<UserError> {
  try {
    await work;
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }
  throw new Error('expected a refusal');
}

describe('plugin install: sources', () => {
  it('installs a local folder DISABLED and says what it asks for, capability by capability, in plain words', async () => {
    bed = await startInstallBed();
    const source = folderPlugin(bed.dir, { name: 'hello', capabilities: ASKS, events: ['webhook'], code: HELLO_CODE });
    const report = await bed.installer.install(source, 'system');
    expect(formatInstalled(report).split('\n')).toEqual([
      `Installed hello 1.0.0 from file:${source} (${report.integrity.slice(0, 24)}…). It is DISABLED.`,
      'The hello test plugin',
      'It asks to:',
      '  - send HTTP requests to api.github.com (net:api.github.com)',
      '  - send secret GITHUB_TOKEN to api.github.com (secrets:GITHUB_TOKEN)',
      '  - receive webhooks at /hooks/hello (webhook)',
      'Commands: hello (risk low)',
      'Nothing of it runs until an admin grants what it asks for (`plugin grant hello <capability>`, or `plugin grant hello all`) and enables it (`plugin enable hello`).',
    ]);
    expect(bed.plugins.info('hello')).toMatchObject({ state: 'disabled', granted: [], dir: join(bed.installDir, 'hello') });
    await bed.adapter.deliver(message('!hello'));
    expect(bed.adapter.lastText()).toMatch(/^There is no command `hello`/);
    await bed.plugins.grant('hello', 'all', 'local:user:bob');
    await bed.plugins.setEnabled('hello', true, 'local:user:bob');
    await bed.adapter.deliver(message('!hello'));
    expect(bed.adapter.lastText()).toBe('hello from hello 1.0.0');
    const lock = JSON.parse(readFileSync(bed.lockFile, 'utf8'));
    expect(lock).toEqual({ lockfileVersion: 1, plugins: { hello: { version: '1.0.0', source: 'file:./hello-src', integrity: report.integrity } } });
    expect(report.integrity).toMatch(/^sha256-[A-Za-z0-9+/]{43}=$/);
    const audit = await bed.app.get<AuditLog>(AuditLog).list({ action: 'plugin.installed' });
    expect(audit.map((a) => a.detail)).toEqual([{ plugin: 'hello', version: '1.0.0', source: `file:${source}`, integrity: report.integrity, asks: ['net:api.github.com', 'secrets:GITHUB_TOKEN', 'webhook'], via: 'install' }]);
  });

  it('installs an https tarball whose #sha256= pin matches, from a real TLS server on loopback', async () => {
    bed = await startInstallBed();
    const tarball = tgz(pluginFiles({ name: 'pinned', version: '2.1.0' }));
    const url = bed.registry.file('/downloads/pinned-2.1.0.tgz', tarball);
    const report = await bed.installer.install(`${url}#sha256=${sha256(tarball)}`, 'system');
    expect(report).toMatchObject({ source: `${url}#sha256=${sha256(tarball)}`, integrity: `sha256-${createHash('sha256').update(tarball).digest('base64')}` });
    expect(report.status).toMatchObject({ name: 'pinned', version: '2.1.0', state: 'disabled' });
    expect(readFileSync(join(bed.installDir, 'pinned', 'plugin.json'), 'utf8')).toContain('"version": "2.1.0"');
    expect(bed.registry.requests).toEqual(['GET /downloads/pinned-2.1.0.tgz']);
  });

  it('refuses an https tarball whose bytes do not match the pin, and leaves nothing behind', async () => {
    bed = await startInstallBed();
    const tarball = tgz(pluginFiles({ name: 'pinned' }));
    const url = bed.registry.file('/downloads/pinned.tgz', tarball);
    const error = await refusal(bed.installer.install(`${url}#sha256=${sha256(Buffer.from('something else'))}`, 'system'));
    expect(error.code).toBe('E_INTEGRITY');
    expect(error.message).toMatch(/^the tarball from https:\/\/127\.0\.0\.1:\d+\/downloads\/pinned\.tgz does not match its integrity: expected sha256-.+, got sha256-.+; nothing was installed$/);
    expect(leftovers(bed.installDir)).toEqual([]);
    expect(existsSync(bed.lockFile)).toBe(false);
    expect(bed.plugins.info('pinned')).toBeUndefined();
  });

  it('installs npm:<name>@<version> from the registry, checked against the packument\'s dist.integrity', async () => {
    bed = await startInstallBed();
    bed.registry.publish('opsroom-plugin-greet', '1.0.0', tgz(pluginFiles({ name: 'greet', version: '1.0.0' })));
    const integrity = bed.registry.publish('opsroom-plugin-greet', '1.1.0', tgz(pluginFiles({ name: 'greet', version: '1.1.0' })));
    const report = await bed.installer.install('npm:opsroom-plugin-greet@latest', 'system');
    expect(report).toMatchObject({ source: 'npm:opsroom-plugin-greet@1.1.0', integrity });
    expect(integrity).toMatch(/^sha512-/);
    expect(bed.registry.requests).toEqual(['GET /opsroom-plugin-greet', 'GET /opsroom-plugin-greet/-/opsroom-plugin-greet-1.1.0.tgz']);
    expect(JSON.parse(readFileSync(bed.lockFile, 'utf8')).plugins.greet).toEqual({
      version: '1.1.0', source: 'npm:opsroom-plugin-greet@1.1.0', integrity, resolved: `${bed.registry.url}/opsroom-plugin-greet/-/opsroom-plugin-greet-1.1.0.tgz`,
    });
  });

  it('refuses a registry tarball that does not match dist.integrity, or that has no sha512 integrity at all', async () => {
    bed = await startInstallBed();
    bed.registry.publish('opsroom-plugin-evil', '1.0.0', tgz(pluginFiles({ name: 'evil' })), { integrity: `sha512-${createHash('sha512').update('the reviewed tarball').digest('base64')}` });
    bed.registry.publish('opsroom-plugin-old', '1.0.0', tgz(pluginFiles({ name: 'old' })), { shasumOnly: true });
    const mismatch = await refusal(bed.installer.install('npm:opsroom-plugin-evil@1.0.0', 'system'));
    expect(mismatch.code).toBe('E_INTEGRITY');
    expect(mismatch.message).toContain('the tarball of opsroom-plugin-evil@1.0.0 does not match its integrity');
    const noIntegrity = await refusal(bed.installer.install('npm:opsroom-plugin-old@1.0.0', 'system'));
    expect(noIntegrity.message).toBe(`opsroom-plugin-old@1.0.0 has no sha512/sha384/sha256 dist.integrity on ${bed.registry.url}/; a package without one is not installed`);
    const missing = await refusal(bed.installer.install('npm:opsroom-plugin-nope@1.0.0', 'system'));
    expect(missing.message).toBe(`there is no package opsroom-plugin-nope on ${bed.registry.url}/`);
    const noVersion = await refusal(bed.installer.install('npm:opsroom-plugin-old@9.9.9', 'system'));
    expect(noVersion.message).toBe(`opsroom-plugin-old has no version or dist-tag 9.9.9 on ${bed.registry.url}/ (latest versions: 1.0.0)`);
    expect(leftovers(bed.installDir)).toEqual([]);
  });

  it('trusts the registry only through the system CAs and plugins.install.caFile', async () => {
    bed = await startInstallBed({ plugins: { install: { caFile: undefined } } });
    bed.registry.publish('opsroom-plugin-greet', '1.0.0', tgz(pluginFiles({ name: 'greet' })));
    const error = await refusal(bed.installer.install('npm:opsroom-plugin-greet@1.0.0', 'system'));
    expect(error.message).toMatch(/^downloading the packument of opsroom-plugin-greet from https:\/\/127\.0\.0\.1:\d+\/opsroom-plugin-greet failed: self[- ]signed certificate/);
  });

  it('searches the registry for packages with the keyword opsroom-plugin', async () => {
    bed = await startInstallBed();
    bed.registry.publish('opsroom-plugin-greet', '1.0.0', tgz(pluginFiles({ name: 'greet' })), { keywords: ['opsroom-plugin', 'chatops'], description: 'Greets the room' });
    bed.registry.publish('opsroom-plugin-jira', '0.3.1', tgz(pluginFiles({ name: 'jira' })), { keywords: ['opsroom-plugin'], description: 'Creates Jira issues' });
    bed.registry.publish('left-pad', '1.3.0', tgz(pluginFiles({ name: 'pad' })), { keywords: ['padding'], description: 'Greets nobody' });
    await bed.adapter.deliver(message('!plugin search greets'));
    expect(bed.adapter.lastText()).toBe(`Opsroom plugins on ${bed.registry.url}/ matching "greets":\n- opsroom-plugin-greet 1.0.0: Greets the room\n  plugin install npm:opsroom-plugin-greet@1.0.0`);
    await bed.adapter.deliver(message('!plugin search'));
    expect(bed.adapter.lastText()).toContain('- opsroom-plugin-jira 0.3.1: Creates Jira issues');
    expect(bed.adapter.lastText()).not.toContain('left-pad');
    expect(bed.registry.requests).toContain('GET /-/v1/search?text=keywords%3Aopsroom-plugin%20greets&size=25');
  });
});
