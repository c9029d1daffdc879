import type { CommandResult, CommandSpec, Invocation } from '../core/command.js';

/** A core command that runs in-process, not sandboxed. Contributed by the builtins module; zero is fine. */
export const BuiltinCommand = Symbol('BuiltinCommand');
export interface BuiltinCommand {
  readonly spec: CommandSpec;
  run(invocation: Invocation): Promise<CommandResult>;
}

/** A user argument as bound (`alice`, or a qualified id such as `discord:user:123` from a mention) as a qualified user id. */
export function resolveUserArg(value: string, platform: string): string {
  if (/^(discord|teams|local):user:/.test(value)) return value;
  return `${platform}:user:${value}`;
}
