import 'reflect-metadata';
import { mkdirSync, readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A benchmark module: `bench/<name>.bench.ts` exporting `run()`; it returns figures, or why it cannot run here. */
export interface BenchModule {
  run(): Promise<Record<string, number> | { skipped: string }>;
}

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const files = readdirSync(here).filter((f) => f.endsWith('.bench.ts')).sort();
const selected = files.filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)));
if (selected.length === 0) {
  process.stderr.write(`no benchmark matches ${wanted.join(', ')} (have: ${files.map((f) => f.replace('.bench.ts', '')).join(', ')})\n`);
  process.exit(2);
}

const resultsFile = join(here, 'results', 'latest.json');
const previous: Record<string, number> = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')).figures ?? {} : {};
const figures: Record<string, number> = { ...previous };
const rows: Array<[string, string]> = [];

for (const file of selected) {
  const name = file.replace('.bench.ts', '');
  process.stderr.write(`running ${name}...\n`);
  const mod = (await import(join(here, file))) as BenchModule;
  const result = await mod.run();
  if ('skipped' in result && typeof result.skipped === 'string') {
    rows.push([name, `skipped: ${result.skipped}`]);
    continue;
  }
  for (const [key, value] of Object.entries(result as Record<string, number>)) {
    figures[key] = value;
    rows.push([key, Number.isInteger(value) ? String(value) : value.toFixed(3)]);
  }
}

const width = Math.max(...rows.map(([k]) => k.length), 6);
process.stdout.write(`${'figure'.padEnd(width)}  value\n${'-'.repeat(width)}  -----\n`);
for (const [key, value] of rows) process.stdout.write(`${key.padEnd(width)}  ${value}\n`);
mkdirSync(dirname(resultsFile), { recursive: true });
writeFileSync(resultsFile, `${JSON.stringify({ measuredAt: new Date().toISOString(), node: process.version, figures }, null, 2)}\n`);
process.stdout.write(`\nwrote ${resultsFile}\n`);
process.exit(0);
