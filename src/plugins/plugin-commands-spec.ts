import type { CommandSpec } from '../core/command.js';
import type { PluginManifest } from './plugin-manifest.js';

type ManifestCommand = PluginManifest['commands'][number];

/** A manifest command as the registry sees it; the permission defaults to `use:<plugin>`. */
export function commandSpecOf(command: ManifestCommand, plugin: string): CommandSpec {
  return {
    name: command.name, description: command.description, args: command.args,
    permission: command.permission ?? `use:${plugin}`, risk: command.risk,
    ...(command.usage ? { usage: command.usage } : {}),
    ...(command.aliases ? { aliases: command.aliases } : {}),
  };
}

/**
 * The exported function behind a command: `commands["deploy status"]`, or its camel-case form
 * `commands.deployStatus`, so two-word commands need no quoted keys.
 */
export function functionNameFor(command: string, exported: readonly string[]): string | undefined {
  if (exported.includes(command)) return command;
  const camel = command.replace(/[ -]([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  return exported.includes(camel) ? camel : undefined;
}
