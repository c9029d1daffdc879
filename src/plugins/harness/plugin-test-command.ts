import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { formatIssues } from '../../config/format-issues.js';
import { conversationSchema } from './conversation-schema.js';
import { runConversation, type ConversationReport } from './run-conversation.js';

/** The conversation files of a plugin: a given file, or every `tests/*.yaml` of the folder. */
export function conversationFiles(dir: string, file?: string): string[] {
  if (file) return [resolve(file)];
  const tests = join(dir, 'tests');
  if (!existsSync(tests) || !statSync(tests).isDirectory()) return [];
  return readdirSync(tests).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(tests, f));
}

/** `opsroom plugin test <dir>`: runs every conversation, prints pass/fail with each difference, exits 0 only if all pass. */
export async function runPluginTests(dir: string, options: { file?: string }, write = (t: string) => process.stdout.write(t)): Promise<number> {
  const pluginDir = resolve(dir);
  const files = conversationFiles(pluginDir, options.file);
  if (files.length === 0) {
    write(`opsroom: no conversations to run: put YAML files in ${join(pluginDir, 'tests')} or pass --file\n`);
    return 2;
  }
  const reports: Array<ConversationReport & { file: string }> = [];
  for (const file of files) {
    let raw: unknown;
    try {
      raw = parse(readFileSync(file, 'utf8'));
    } catch (error) {
      reports.push({ file, name: file, passed: false, failures: [`not valid YAML: ${(error as Error).message.split('\n')[0] ?? ''}`] });
      continue;
    }
    const parsed = conversationSchema.safeParse(raw);
    if (!parsed.success) {
      reports.push({ file, name: file, passed: false, failures: formatIssues(parsed.error.issues, `${file}: `) });
      continue;
    }
    reports.push({ file, ...(await runConversation(pluginDir, parsed.data)) });
  }
  for (const report of reports) {
    write(`${report.passed ? 'PASS' : 'FAIL'} ${report.name}\n`);
    for (const failure of report.failures) write(`     ${failure}\n`);
  }
  const failed = reports.filter((r) => !r.passed).length;
  write(`${reports.length - failed} passed, ${failed} failed\n`);
  return failed === 0 ? 0 : 1;
}
