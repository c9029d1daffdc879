/** The Redis keys and channel of one deployment, all under its key prefix. */
export class ClusterKeys {
  /** The BullMQ queue that carries invocations from gateways to workers. */
  readonly queueName = 'invocations';

  constructor(readonly prefix: string) {}

  /** A process's heartbeat record; it expires when the process stops renewing it. */
  node(nodeId: string): string {
    return `${this.prefix}:node:${nodeId}`;
  }

  /** The ids of processes that announced themselves (the records say which are still alive). */
  nodes(): string {
    return `${this.prefix}:nodes`;
  }

  /** Messages to one process: job results, calls and their answers. */
  inbox(nodeId: string): string {
    return `${this.prefix}:inbox:${nodeId}`;
  }

  /** Set once by the worker that starts a job, so a redelivered job never runs a second time. */
  started(jobId: string): string {
    return `${this.prefix}:started:${jobId}`;
  }

  /** The commands and plugin states the workers loaded, for the gateways. */
  catalog(): string {
    return `${this.prefix}:catalog`;
  }

  /** The pub/sub channel of cross-instance events. */
  events(): string {
    return `${this.prefix}:events`;
  }
}
