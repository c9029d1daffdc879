/** The texts users see when a plugin call or load fails; stable because the audit log and tests quote them. */

export type StopReason = 'cpu' | 'wall' | 'memory';

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  return `${Number((ms / 1000).toFixed(3))}s`;
}

export interface StopLimits {
  cpuMs: number;
  wallMs: number;
  memoryMb: number;
}

/** What happened, without the plugin name: "took longer than 30s". */
export function describeStop(reason: StopReason, limits: StopLimits): string {
  switch (reason) {
    case 'cpu':
      return `used more than ${limits.cpuMs} ms of CPU`;
    case 'wall':
      return `took longer than ${formatDuration(limits.wallMs)}`;
    case 'memory':
      return `ran out of memory (limit ${limits.memoryMb} MB)`;
  }
}

export function stoppedMessage(plugin: string, reason: StopReason, limits: StopLimits): string {
  return `${plugin} ${describeStop(reason, limits)} and was stopped`;
}

/** For the other calls in flight in an isolate that had to be stopped because of one call. */
export function stoppedWithSiblingMessage(plugin: string, reason: StopReason, limits: StopLimits): string {
  return `${plugin} was stopped because another of its calls ${describeStop(reason, limits)}; try again`;
}

export function tooLargeMessage(plugin: string): string {
  return `${plugin} returned more than 1 MiB; the reply was dropped`;
}

export function uncopyableMessage(plugin: string, detail: string): string {
  return `${plugin} returned ${detail}; the reply was dropped`;
}

export function threwMessage(plugin: string, name: string, message: string): string {
  const prefix = name === '' || name === 'Error' ? '' : `${name}: `;
  return `${plugin} threw: ${prefix}${message}`;
}

export function crashedMessage(plugin: string): string {
  return `${plugin} stopped unexpectedly (its sandbox process exited); try again`;
}

export function unloadedMessage(plugin: string): string {
  return `${plugin} was unloaded while this call was running`;
}

/** Shortens text from plugin code for a message or a log line. */
export function truncate(text: string, max = 500): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}
