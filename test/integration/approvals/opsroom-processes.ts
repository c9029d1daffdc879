import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';
import type { ChatEvent } from '../../../src/core/chat-event.js';
import type { ConfigInput } from '../../../src/config/config-schema.js';
import type { SentLine } from '../../support/opsroom-process.js';

const ENTRY = fileURLToPath(new URL('../../support/opsroom-process.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** A running opsroom process: events in, what it sent out. */
export interface OpsroomProcess {
  pid: number;
  /** Its cluster node id, when it runs in a cluster. */
  node: string | undefined;
  sent: SentLine[];
  deliver(...events: ChatEvent[]): void;
  /** Resolves with the first sent line matching, or rejects (with stderr) after `timeoutMs`. */
  waitFor(match: (line: SentLine) => boolean, timeoutMs?: number): Promise<SentLine>;
  /** Asks for a graceful stop and waits for the exit. */
  stop(): Promise<void>;
  kill(signal: NodeJS.Signals): Promise<number | null>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `test/support/opsroom-process.ts` with a configuration; resolves once it says it is ready. */
export async function startProcess(config: ConfigInput): Promise<OpsroomProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, JSON.stringify(config)], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  onTestFinished(() => void child.kill('SIGKILL'));
  const sent: SentLine[] = [];
  let stderr = '';
  let buffer = '';
  let ready: (started: { pid: number; node?: string }) => void = () => undefined;
  const started = new Promise<{ pid: number; node?: string }>((resolve) => { ready = resolve; });
  const waiters = new Set<() => void>();
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    for (let at = buffer.indexOf('\n'); at >= 0; at = buffer.indexOf('\n')) {
      const line = JSON.parse(buffer.slice(0, at)) as SentLine & { ready?: boolean; pid?: number; node?: string };
      buffer = buffer.slice(at + 1);
      if (line.ready) ready({ pid: line.pid ?? 0, ...(line.node ? { node: line.node } : {}) });
      else sent.push(line);
    }
    for (const wake of waiters) wake();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  void exited.then(() => { for (const wake of waiters) wake(); });
  const { pid, node } = await Promise.race([started, exited.then(({ code }): never => { throw new Error(`opsroom process exited with ${code} before it was ready:\n${stderr}`); })]);

  const waitFor = (match: (line: SentLine) => boolean, timeoutMs = 10_000): Promise<SentLine> => new Promise((resolve, reject) => {
    const check = (): void => {
      const found = sent.find(match);
      if (found) {
        finish();
        resolve(found);
      }
    };
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`opsroom process ${pid} never sent the expected message; it sent:\n${JSON.stringify(sent, null, 1)}\nstderr:\n${stderr}`));
    }, timeoutMs);
    const finish = (): void => {
      clearTimeout(timer);
      waiters.delete(check);
    };
    waiters.add(check);
    check();
  });

  return {
    pid, node, sent, exited, waitFor,
    deliver: (...events) => { child.stdin.write(events.map((e) => `${JSON.stringify(e)}\n`).join('')); },
    stop: async () => {
      child.stdin.write(`${JSON.stringify({ control: 'stop' })}\n`);
      const { code } = await exited;
      if (code !== 0) throw new Error(`opsroom process ${pid} stopped with ${code}:\n${stderr}`);
    },
    kill: async (signal) => {
      child.kill(signal);
      return (await exited).code;
    },
  };
}
