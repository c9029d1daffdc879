import { injectable } from 'inversify';
import { disposable, type Disposable } from '../core/disposable.js';

/** One thing `/readyz` depends on beyond storage: Redis, a platform connection. Resolves with a short status; throws why not. */
export interface ReadinessCheck {
  /** The field of the `/readyz` answer, e.g. `redis` or `discord`. */
  name: string;
  check(): Promise<string>;
}

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, string>;
}

const CHECK_TIMEOUT_MS = 3_000;

/** What `/readyz` asks besides storage; parts register their checks while they run (a started adapter, a Redis link). */
export const Readiness = Symbol('Readiness');
export interface Readiness {
  add(check: ReadinessCheck): Disposable;
  report(): Promise<ReadinessReport>;
}

@injectable()
export class ReadinessImpl implements Readiness {
  private readonly checks = new Set<ReadinessCheck>();

  add(check: ReadinessCheck): Disposable {
    this.checks.add(check);
    return disposable(() => this.checks.delete(check));
  }

  async report(): Promise<ReadinessReport> {
    const results = await Promise.all([...this.checks].map(async (c) => [c.name, await settle(c)] as const));
    return {
      ready: results.every(([, r]) => r.ok),
      checks: Object.fromEntries(results.map(([name, r]) => [name, r.detail])),
    };
  }
}

async function settle(check: ReadinessCheck): Promise<{ ok: boolean; detail: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  try {
    return { ok: true, detail: await Promise.race([check.check(), timeout]) };
  } catch (error) {
    return { ok: false, detail: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}
