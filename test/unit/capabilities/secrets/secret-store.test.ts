import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SecretStoreImpl } from '../../../../src/capabilities/secrets/secret-store.js';

const dirs: string[] = [];
afterEach(() => {
  dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true }));
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'opsroom-secrets-'));
  dirs.push(dir);
  return dir;
}

describe('SecretStore', () => {
  it('reads an environment variable at the time of use', () => {
    const env: NodeJS.ProcessEnv = {};
    const store = new SecretStoreImpl({ GITHUB_TOKEN: { env: 'GH_TOKEN' } }, env);
    expect(store.get('GITHUB_TOKEN')).toBeUndefined();
    env.GH_TOKEN = 'ghp_first';
    expect(store.get('GITHUB_TOKEN')).toBe('ghp_first');
    env.GH_TOKEN = 'ghp_rotated';
    expect(store.get('GITHUB_TOKEN')).toBe('ghp_rotated');
  });

  it('treats an empty variable as no value', () => {
    const store = new SecretStoreImpl({ TOKEN: { env: 'TOKEN' } }, { TOKEN: '' });
    expect(store.get('TOKEN')).toBeUndefined();
  });

  it('reads a file, trimming exactly one trailing newline', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a'), 's3cret\n');
    writeFileSync(join(dir, 'b'), 's3cret\r\n');
    writeFileSync(join(dir, 'c'), 'line1\nline2\n\n');
    const store = new SecretStoreImpl({ A: { file: join(dir, 'a') }, B: { file: join(dir, 'b') }, C: { file: join(dir, 'c') } }, {});
    expect(store.get('A')).toBe('s3cret');
    expect(store.get('B')).toBe('s3cret');
    expect(store.get('C')).toBe('line1\nline2\n');
  });

  it('has no value for a missing file or an unknown name', () => {
    const store = new SecretStoreImpl({ A: { file: join(tempDir(), 'missing') } }, {});
    expect(store.get('A')).toBeUndefined();
    expect(store.get('UNKNOWN')).toBeUndefined();
    expect(store.get('__proto__')).toBeUndefined();
  });

  it('names the file and the error code, never the content, when a file cannot be read', () => {
    const dir = tempDir();
    expect(() => new SecretStoreImpl({ A: { file: dir } }, {}).get('A')).toThrow(`secret A: the file ${dir} cannot be read (EISDIR)`);
    if (process.getuid?.() !== 0) {
      const file = join(dir, 'locked');
      writeFileSync(file, 'hidden-value');
      chmodSync(file, 0o000);
      expect(() => new SecretStoreImpl({ A: { file } }, {}).get('A')).toThrow(`secret A: the file ${file} cannot be read (EACCES)`);
    }
  });

  it('tells the operator how to give each kind of secret a value', () => {
    const store = new SecretStoreImpl({ A: { env: 'A_VAR' }, B: { file: '/run/secrets/b' } }, {});
    expect(store.howToSet('A')).toBe('set the environment variable A_VAR');
    expect(store.howToSet('B')).toBe('write it to the file /run/secrets/b');
    expect(store.howToSet('C')).toBe('add it under secrets in the configuration, e.g. secrets: { C: { env: C } }');
  });
});
