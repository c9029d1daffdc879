import type { AdapterPackage } from '../core/chat-adapter.js';
import { OpsroomError } from '../core/errors.js';

/**
 * Adapter packages by name. They are imported by URL at run time, so nothing in src/ depends on an adapter
 * or a platform SDK at compile time, and a process that runs no Discord never loads discord.js.
 */
const ADAPTER_PACKAGES: Record<string, string> = {
  local: '../../adapters/local/index.js',
  discord: '../../adapters/discord/index.js',
  teams: '../../adapters/teams/index.js',
};

export async function loadAdapterPackage(name: string): Promise<AdapterPackage> {
  const entry = ADAPTER_PACKAGES[name];
  if (!entry) throw new OpsroomError('E_CONFIG', `there is no adapter "${name}" (known: ${Object.keys(ADAPTER_PACKAGES).join(', ')})`);
  const loaded = (await import(new URL(entry, import.meta.url).href)) as Partial<AdapterPackage>;
  if (typeof loaded.createAdapter !== 'function') throw new OpsroomError('E_INTERNAL', `adapter package ${name} exports no createAdapter`);
  return loaded as AdapterPackage;
}
