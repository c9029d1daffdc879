import { describeGrant } from './plugin-grants.js';
import type { PluginStatus } from './plugin-status.js';

/** `plugin list`: one line a plugin, failures with their reason. */
export function formatPluginList(plugins: PluginStatus[]): string {
  if (plugins.length === 0) return 'No plugins are installed.';
  const lines = plugins.map((p) => {
    const where = p.bundled ? 'bundled' : p.dir;
    const state = p.state === 'failed' ? `FAILED: ${p.problems[0] ?? 'unknown reason'}${p.problems.length > 1 ? ` (+${p.problems.length - 1} more, see plugin info)` : ''}` : p.state;
    return `- ${p.name} ${p.version} (${where}): ${state}${p.state === 'loaded' ? `; commands: ${p.commands.join(', ') || 'none'}` : ''}`;
  });
  return [`Plugins (${plugins.length}):`, ...lines].join('\n');
}

/** `plugin info`: requested against granted in plain words, commands, limits and load status. */
export function formatPluginInfo(p: PluginStatus): string {
  const capabilities = p.manifest?.capabilities ?? {};
  const asked = p.requested.length === 0 ? ['  (nothing)'] : p.requested.map((g) => `  ${p.granted.includes(g) ? '[granted]' : '[not granted]'} ${g}: ${describeGrant(g, capabilities)}`);
  const extra = p.granted.filter((g) => !p.requested.includes(g)).map((g) => `  [granted] ${g}: ${describeGrant(g, capabilities)}`);
  const commands = (p.manifest?.commands ?? []).map((c) => `  ${c.name}: ${c.description} (risk ${c.risk}, permission ${c.permission ?? `use:${p.name}`})`);
  return [
    `${p.name} ${p.version}: ${p.description}`,
    `status: ${p.state}${p.loadMs !== undefined ? ` (loaded in ${p.loadMs.toFixed(1)} ms)` : ''}`,
    ...(p.problems.length > 0 ? ['problems:', ...p.problems.map((x) => `  ${x}`)] : []),
    `from: ${p.bundled ? 'bundled with opsroom' : p.dir}`,
    'capabilities (asked for):',
    ...asked,
    ...extra,
    ...(commands.length > 0 ? ['commands:', ...commands] : []),
    ...(p.limits ? [`limits: ${p.limits.memoryMb} MB memory, ${p.limits.cpuMs} ms CPU and ${p.limits.wallMs / 1000} s per call`] : []),
  ].join('\n');
}
