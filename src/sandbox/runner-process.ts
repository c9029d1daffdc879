import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { OpsroomError } from '../core/errors.js';
import type { HostToRunner, LoadDone, LoadFailed, RunnerToHost, UnloadDone } from './sandbox-protocol.js';

const RUNNER_ENTRY = fileURLToPath(new URL('./runner/runner-main.ts', import.meta.url));
// An absolute URL, so the runner finds tsx whatever its working directory, from `npm start` or from vitest alike.
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const STARTUP_TIMEOUT_MS = 20_000;
const STDERR_TAIL_CHARS = 4096;

export interface RunnerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The runner died before it said it was ready. */
  duringStartup: boolean;
  /** The last lines the runner wrote to stderr (V8 prints fatal errors there). */
  stderr: string;
}

/** A load or unload that was in flight when its runner exited. */
export class RunnerExitedError extends Error {
  override readonly name = 'RunnerExitedError';
}

type Reply = LoadDone | LoadFailed | UnloadDone;

/** The only environment a runner gets: it holds no secrets, so nothing from the host's environment is passed on. */
function runnerEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  if (process.env.PATH !== undefined) env.PATH = process.env.PATH;
  if (process.env.NODE_ENV !== undefined) env.NODE_ENV = process.env.NODE_ENV;
  return env;
}

/** One forked runner process, seen from the host: start, messages both ways, replies to loads, exit. */
export class RunnerProcess {
  readonly pid: number;
  readonly ready: Promise<void>;
  /** Messages that are not replies to `request()`. */
  onMessage: (message: RunnerToHost) => void = () => undefined;
  onExit: (exit: RunnerExit) => void = () => undefined;
  private readonly child: ChildProcess;
  private readonly replies = new Map<number, { resolve: (reply: Reply) => void; reject: (error: Error) => void }>();
  private stderrTail = '';
  private isReady = false;
  private startup: { resolve: () => void; reject: (reason: string) => void } | undefined;
  private exited = false;
  private readonly exitedPromise: Promise<void>;

  constructor(heapCapMb: number) {
    this.child = fork(RUNNER_ENTRY, [], {
      execArgv: ['--no-node-snapshot', '--import', TSX_LOADER, `--max-old-space-size=${heapCapMb}`],
      env: runnerEnv(),
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'json',
    });
    this.pid = this.child.pid ?? 0;
    this.child.stderr?.setEncoding('utf8');
    this.child.stderr?.on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_TAIL_CHARS);
    });
    this.ready = this.waitForReady();
    this.ready.catch(() => undefined);
    this.exitedPromise = new Promise((resolve) => this.child.once('close', () => resolve()));
    this.child.on('message', (message: RunnerToHost) => this.receive(message));
    // 'close' rather than 'exit': it comes once stderr is drained, so a V8 fatal error is in the tail.
    this.child.once('close', (code, signal) => this.exit(code, signal));
    // A failed spawn also emits 'exit' (or has no pid); the error itself carries nothing more for the operator.
    this.child.on('error', () => undefined);
  }

  get alive(): boolean {
    return !this.exited;
  }

  /** Sends a message; false if the channel is already closed (the exit handler deals with what was in flight). */
  send(message: HostToRunner): boolean {
    if (this.exited || !this.child.connected) return false;
    this.child.send(message);
    return true;
  }

  /** Sends a load or unload and resolves to the runner's reply; rejects with RunnerExitedError if the runner dies first. */
  request(message: HostToRunner & { id: number }): Promise<Reply> {
    return new Promise((resolve, reject) => {
      if (!this.send(message)) {
        reject(new RunnerExitedError('the sandbox process has exited'));
        return;
      }
      this.replies.set(message.id, { resolve, reject });
    });
  }

  /** SIGKILL: a runner holds nothing that needs saving, and a wedged one would ignore anything gentler. */
  kill(): Promise<void> {
    if (!this.exited) this.child.kill('SIGKILL');
    return this.exitedPromise;
  }

  private waitForReady(): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new OpsroomError('E_INTERNAL', `the sandbox process did not start within ${STARTUP_TIMEOUT_MS / 1000}s`));
        this.child.kill('SIGKILL');
      }, STARTUP_TIMEOUT_MS);
      this.startup = {
        resolve: () => {
          clearTimeout(timer);
          this.isReady = true;
          resolve();
        },
        reject: (reason) => {
          clearTimeout(timer);
          reject(new OpsroomError('E_INTERNAL', reason));
        },
      };
    });
  }

  private receive(message: RunnerToHost): void {
    if (message === null || typeof message !== 'object') return;
    switch (message.t) {
      case 'ready':
        this.startup?.resolve();
        return;
      case 'loaded':
      case 'loadfailed':
      case 'unloaded': {
        const waiter = this.replies.get(message.id);
        this.replies.delete(message.id);
        waiter?.resolve(message);
        return;
      }
      default:
        this.onMessage(message);
    }
  }

  private exit(code: number | null, signal: NodeJS.Signals | null): void {
    this.exited = true;
    const duringStartup = !this.isReady;
    const stderr = this.stderrTail.trim();
    if (duringStartup) {
      this.startup?.reject(`the sandbox process exited while starting (${signal ?? `code ${code}`})${stderr === '' ? '' : `: ${stderr.slice(-500)}`}`);
    }
    for (const waiter of this.replies.values()) waiter.reject(new RunnerExitedError('the sandbox process exited'));
    this.replies.clear();
    this.onExit({ code, signal, duringStartup, stderr });
  }
}
