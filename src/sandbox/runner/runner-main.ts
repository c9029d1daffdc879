import type { HostToRunner, RunnerToHost } from '../sandbox-protocol.js';
import { RunnerService } from './runner-service.js';

// The entry of a runner process, forked by the sandbox host. It holds plugin isolates and nothing else: no secrets,
// no configuration; capabilities are asked of the host over the fork channel.

const channel = process.send?.bind(process);
if (channel === undefined) {
  process.stderr.write('runner-main is started by the sandbox host over a fork channel, not directly\n');
  process.exit(2);
}

function send(message: RunnerToHost): void {
  if (process.connected) channel?.(message);
}

function onCatastrophicError(plugin: string, message: string): void {
  // isolated-vm has lost control of an isolate: the process cannot be trusted any more. Report, then abort;
  // the host restarts the runner and reloads its plugins.
  const report: RunnerToHost = { t: 'fatal', message: `isolate of ${plugin} failed catastrophically: ${message}` };
  setTimeout(() => process.abort(), 200).unref();
  if (process.connected) channel?.(report, undefined, {}, () => process.abort());
  else process.abort();
}

const service = new RunnerService(send, onCatastrophicError);
process.on('message', (message) => service.handle(message as HostToRunner));
// The host is gone (or has closed the channel): nobody can use this runner's answers.
process.on('disconnect', () => process.exit(0));
send({ t: 'ready' });
