import { spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { CappedOutput } from './capped-output.js';

export interface ProcessOptions {
  cwd: string | undefined;
  env: Record<string, string>;
  timeoutMs: number;
  maxOutputBytes: number;
  /** Between SIGTERM and SIGKILL. */
  killGraceMs: number;
  /** After the program exits, how long to keep reading output a background child may still be writing. */
  drainMs: number;
}

export interface ProcessOutcome {
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  truncated: boolean;
  timedOut: boolean;
  durationMs: number;
}

/**
 * Signals the whole process group the child leads, so its own children go too. Called from timers, so it
 * never throws: a group that is already gone (ESRCH) is fine, and on any other failure the leader alone is signalled.
 */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') child.kill(signal);
  }
}

/**
 * Runs a program without a shell in its own process group. Resolves when it has exited and its output is
 * read; rejects only when it cannot be started (the error of `spawn`, e.g. ENOENT).
 */
export function runProcess(argv: readonly [string, ...string[]], options: ProcessOptions): Promise<ProcessOutcome> {
  const started = performance.now();
  const [program, ...args] = argv;
  const stdout = new CappedOutput(options.maxOutputBytes);
  const stderr = new CappedOutput(options.maxOutputBytes);
  const child = spawn(program, args, {
    shell: false, cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true, windowsHide: true,
  });
  child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
  let timedOut = false;
  let drain: NodeJS.Timeout | undefined;
  const deadline = setTimeout(() => {
    timedOut = true;
    signalGroup(child, 'SIGTERM');
    // Not cleared when the leader exits: its children may ignore SIGTERM. unref: it must not hold opsroom open.
    setTimeout(() => signalGroup(child, 'SIGKILL'), options.killGraceMs).unref();
  }, options.timeoutMs);

  return new Promise<ProcessOutcome>((resolve, reject) => {
    let settled = false;
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      clearTimeout(deadline);
      clearTimeout(drain);
      return true;
    };
    const finish = (exitCode: number | null, signal: string | null): void => {
      if (!settle()) return;
      resolve({
        exitCode, signal, timedOut, durationMs: Math.round(performance.now() - started),
        stdout: stdout.text(), stderr: stderr.text(), truncated: stdout.truncated || stderr.truncated,
      });
    };
    child.once('error', (error) => {
      if (settle()) reject(error);
    });
    child.once('close', (code, signal) => finish(code, signal));
    child.once('exit', (code, signal) => {
      if (!timedOut) clearTimeout(deadline);
      // A background child still holding the pipes must not keep the runbook open.
      drain = setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        finish(code, signal);
      }, options.drainMs);
    });
  });
}
