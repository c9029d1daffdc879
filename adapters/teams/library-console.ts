import { AsyncLocalStorage } from 'node:async_hooks';
import { format } from 'node:util';
import type { Logger } from '../../src/core/logger.js';

type ConsoleMethod = 'error' | 'warn' | 'log' | 'info' | 'debug';
const METHODS: readonly ConsoleMethod[] = ['error', 'warn', 'log', 'info', 'debug'];
const PEM = /-----BEGIN [A-Z ]+-----[\s\S]*?-----END [A-Z ]+-----/g;

const scope = new AsyncLocalStorage<Logger>();
let installs = 0;
const originals = new Map<ConsoleMethod, (...args: unknown[]) => void>();
const patched = new Map<ConsoleMethod, (...args: unknown[]) => void>();

/**
 * botbuilder reports rejected tokens with console.error, sometimes as "Available keys: <PEM>". Inside
 * `withLibraryConsole` such lines never reach the console: the key dump is dropped, anything else goes to the
 * logger at debug level with key material removed (opsroom logs the rejection itself). Console calls made
 * anywhere else pass through untouched, so concurrent code outside a turn is not affected.
 */
export function installLibraryConsole(): () => void {
  if (installs++ === 0) {
    for (const method of METHODS) {
      const original = console[method].bind(console) as (...args: unknown[]) => void;
      const replacement = (...args: unknown[]): void => {
        const logger = scope.getStore();
        if (!logger) return original(...args);
        const detail = format(...args);
        // Printed for any bad signature, naming no cause and dumping our public key: misleading, so dropped.
        if (detail.includes('Available keys:')) return;
        logger.debug({ library: 'botbuilder', console: method, detail: detail.replace(PEM, '[key]').slice(0, 2_000) }, 'library console output');
      };
      originals.set(method, original);
      patched.set(method, replacement);
      console[method] = replacement;
    }
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--installs > 0) return;
    for (const method of METHODS) {
      // Someone patched console after us: leave theirs in place rather than silently dropping it.
      if (console[method] === patched.get(method)) console[method] = originals.get(method) as (...args: unknown[]) => void;
    }
    originals.clear();
    patched.clear();
  };
}

/** Runs `fn` with library console output routed to `logger`. */
export function withLibraryConsole<T>(logger: Logger, fn: () => Promise<T>): Promise<T> {
  return scope.run(logger, fn);
}
