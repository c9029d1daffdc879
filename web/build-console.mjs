#!/usr/bin/env node
// Builds the web console (web/) into dist/console with Vite: offline, nothing fetched at build or run time.
//   node web/build-console.mjs               build
//   node web/build-console.mjs --if-missing  build only when dist/console is missing (what `npm start` does)
//   node web/build-console.mjs --optional    skip, with a note, when Vite is not installed (`npm install --omit=dev`)
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));
const outDir = fileURLToPath(new URL('../dist/console/', import.meta.url));
const flags = new Set(process.argv.slice(2));
const known = new Set(['--if-missing', '--optional']);
const unknown = [...flags].filter((f) => !known.has(f));
if (unknown.length > 0) {
  process.stderr.write(`build-console: unknown option ${unknown.join(', ')} (known: ${[...known].join(', ')})\n`);
  process.exit(2);
}

if (flags.has('--if-missing') && existsSync(join(outDir, 'index.html'))) process.exit(0);

let vite;
try {
  vite = await import('vite');
} catch {
  const message = 'build-console: Vite is not installed (an install without dev dependencies), so the web console was not built; '
    + 'build it where dev dependencies are installed (npm run build:console) and ship dist/console with opsroom.\n';
  process.stderr.write(message);
  process.exit(flags.has('--optional') ? 0 : 1);
}

const started = Date.now();
await vite.build({
  root,
  configFile: false,
  envFile: false,
  publicDir: false,
  base: '/',
  logLevel: 'warn',
  clearScreen: false,
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    // Everything is a file of its own: the page's Content-Security-Policy allows scripts and styles from 'self' only.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
    sourcemap: false,
  },
});
process.stdout.write(`build-console: web console built into ${outDir} in ${Date.now() - started} ms\n`);
