import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { onTestFinished } from 'vitest';
import type { ConfigInput } from '../../../src/config/config-schema.js';
import { PluginInstaller } from '../../../src/plugins/install/plugin-installer.js';
import { PluginManager } from '../../../src/plugins/plugin-manager.js';
import { RegistryStandIn } from '../../stand-ins/npm-registry/registry-stand-in.js';
import { selfSignedCertificate, type TestCertificate } from '../../support/self-signed-cert.js';
import { pluginFiles, type TarEntry } from '../../support/tar-writer.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

let certificate: TestCertificate | undefined;

/** One certificate per test file; removed when the process ends. */
export function testCertificate(): TestCertificate {
  if (!certificate) {
    const made = selfSignedCertificate();
    certificate = made;
    process.once('exit', () => made.remove());
  }
  return certificate;
}

export interface InstallBed extends TestApp {
  registry: RegistryStandIn;
  installer: PluginInstaller;
  plugins: PluginManager;
  installDir: string;
  lockFile: string;
}

/** A loopback https registry (also serving plain tarballs) and an opsroom installing from it into a fresh folder. */
export async function startInstallBed(input: ConfigInput = {}, options: { dir?: string; registry?: RegistryStandIn } = {}): Promise<InstallBed> {
  const cert = testCertificate();
  const registry = options.registry ?? new RegistryStandIn({ key: cert.key, cert: cert.cert });
  if (!options.registry) {
    await registry.start();
    onTestFinished(() => registry.stop());
  }
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'opsroom-install-'));
  if (!options.dir) onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const installDir = join(dir, 'plugins');
  const lockFile = join(dir, 'opsroom-plugins.lock.json');
  const t = await startTestApp({
    ...input,
    plugins: {
      bundled: false, installDir, lockFile, ...(input.plugins ?? {}),
      install: { registry: registry.url, caFile: cert.certFile, ...(input.plugins?.install ?? {}) },
    },
  }, { dir });
  return { ...t, registry, installer: t.app.get<PluginInstaller>(PluginInstaller), plugins: t.app.get<PluginManager>(PluginManager), installDir, lockFile };
}

/** Writes a plugin folder from tar-writer entries (without a prefix) and returns its path. */
export function writePluginFolder(root: string, entries: TarEntry[]): string {
  for (const entry of entries) {
    const path = join(root, entry.path);
    if (entry.type === 'dir') mkdirSync(path, { recursive: true });
    else {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, entry.data ?? '');
    }
  }
  return root;
}

export function folderPlugin(parent: string, options: Parameters<typeof pluginFiles>[0]): string {
  return writePluginFolder(join(parent, `${options.name}-src`), pluginFiles({ ...options, prefix: '' }));
}

/** Every file and folder under the install folder, except an empty staging folder. */
export function leftovers(installDir: string): string[] {
  if (!existsSync(installDir)) return [];
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      found.push(relative(installDir, path));
      if (statSync(path).isDirectory()) walk(path);
    }
  };
  walk(installDir);
  return found.filter((p) => p !== '.staging');
}
