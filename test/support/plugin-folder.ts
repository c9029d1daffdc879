import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';

/** Writes plugin folders into a fresh directory (removed when the test ends) and returns that directory. */
export function pluginFolders(plugins: Record<string, { manifest: unknown; code: string }>): string {
  const root = mkdtempSync(join(tmpdir(), 'opsroom-plugins-'));
  onTestFinished(() => rmSync(root, { recursive: true, force: true }));
  for (const [folder, plugin] of Object.entries(plugins)) {
    mkdirSync(join(root, folder));
    writeFileSync(join(root, folder, 'plugin.json'), typeof plugin.manifest === 'string' ? plugin.manifest : JSON.stringify(plugin.manifest, null, 2));
    writeFileSync(join(root, folder, 'index.js'), plugin.code);
  }
  return root;
}

export function manifest(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, version: '1.0.0', apiVersion: 1, description: `${name} for tests`, commands: [], ...extra };
}
