import type { PluginLimits } from '../sandbox/sandbox-host.js';
import type { PluginManifest } from './plugin-manifest.js';

export type PluginState = 'loaded' | 'disabled' | 'failed';

/** What `plugin list` and `plugin info` show, and what the web console reads. */
export interface PluginStatus {
  name: string;
  version: string;
  description: string;
  dir: string;
  bundled: boolean;
  state: PluginState;
  /** Why it failed to load, each problem on its own. */
  problems: string[];
  commands: string[];
  requested: string[];
  granted: string[];
  limits: PluginLimits | undefined;
  loadMs: number | undefined;
  manifest: PluginManifest | undefined;
  readme: string | undefined;
}
