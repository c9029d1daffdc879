/**
 * A service that must start after the container is built and stop before storage closes (timers, schedulers,
 * plugin hosts). Contributed by feature modules; started in binding order, stopped in reverse.
 */
export const LifecycleContribution = Symbol('LifecycleContribution');
export interface LifecycleContribution {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}
