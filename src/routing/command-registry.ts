import { injectable } from 'inversify';
import type { CommandResult, CommandSpec, Invocation } from '../core/command.js';
import { OpsroomError } from '../core/errors.js';
import { disposable, type Disposable } from '../core/disposable.js';
import type { Token } from './tokenize.js';
import { usageOf } from './bind-args.js';

/** How a registered command runs: in-process for built-ins, through the sandbox for plugins. */
export type CommandRunner = (invocation: Invocation) => Promise<CommandResult>;

export interface RegisteredCommand {
  readonly spec: CommandSpec;
  readonly plugin: string;
  readonly usage: string;
  readonly run: CommandRunner;
  /**
   * What the command is right now (plugin version, code hash, grants): an approval frozen under one fingerprint
   * is refused if the command changed before release.
   */
  readonly fingerprint: () => string;
}

export interface RegisterOptions {
  fingerprint?: () => string;
}

export interface CommandLookup {
  command: RegisteredCommand;
  /** How many leading tokens named the command (2 for `deploy status`). */
  consumed: number;
}

export type RegistryListener = (change: { kind: 'added' | 'removed'; command: RegisteredCommand }) => void;

/** Every command opsroom knows, keyed by name and alias: a map, not a scan. */
export const CommandRegistry = Symbol('CommandRegistry');
export interface CommandRegistry {
  register(plugin: string, spec: CommandSpec, run: CommandRunner, options?: RegisterOptions): Disposable;
  lookup(tokens: readonly Token[]): CommandLookup | undefined;
  get(name: string): RegisteredCommand | undefined;
  all(): RegisteredCommand[];
  /** Every name and alias, for suggestions. */
  names(): string[];
  onDidChange(listener: RegistryListener): Disposable;
}

@injectable()
export class CommandRegistryImpl implements CommandRegistry {
  private readonly byName = new Map<string, RegisteredCommand>();
  private readonly commands = new Set<RegisteredCommand>();
  private readonly listeners = new Set<RegistryListener>();

  register(plugin: string, spec: CommandSpec, run: CommandRunner, options: RegisterOptions = {}): Disposable {
    const keys = [spec.name, ...(spec.aliases ?? [])].map((k) => k.toLowerCase());
    for (const key of keys) {
      const taken = this.byName.get(key);
      if (taken) {
        throw new OpsroomError('E_PLUGIN_LOAD', `command "${key}" of ${plugin} is already registered by ${taken.plugin}`);
      }
    }
    const fingerprint = options.fingerprint ?? (() => `${plugin}:${spec.name}`);
    const command: RegisteredCommand = { spec, plugin, usage: usageOf(spec), run, fingerprint };
    for (const key of keys) this.byName.set(key, command);
    this.commands.add(command);
    this.emit({ kind: 'added', command });
    return disposable(() => {
      for (const key of keys) if (this.byName.get(key) === command) this.byName.delete(key);
      this.commands.delete(command);
      this.emit({ kind: 'removed', command });
    });
  }

  lookup(tokens: readonly Token[]): CommandLookup | undefined {
    const first = tokens[0];
    if (first === undefined || first.quoted) return undefined;
    const head = first.value.toLowerCase();
    const second = tokens[1];
    if (second !== undefined && !second.quoted) {
      const sub = this.byName.get(`${head} ${second.value.toLowerCase()}`);
      if (sub) return { command: sub, consumed: 2 };
    }
    const command = this.byName.get(head);
    return command ? { command, consumed: 1 } : undefined;
  }

  get(name: string): RegisteredCommand | undefined {
    return this.byName.get(name.toLowerCase());
  }

  all(): RegisteredCommand[] {
    return [...this.commands];
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  onDidChange(listener: RegistryListener): Disposable {
    this.listeners.add(listener);
    return disposable(() => this.listeners.delete(listener));
  }

  private emit(change: Parameters<RegistryListener>[0]): void {
    for (const listener of this.listeners) listener(change);
  }
}
