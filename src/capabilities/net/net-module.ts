import { ContainerModule } from 'inversify';
import { DnsResolver, systemResolver } from './dns-resolver.js';
import { DEFAULT_NET_OPTIONS, NetOptions } from './net-policy.js';
import { SafeFetch } from './safe-fetch.js';

/**
 * The network capability. The composition root binds `NetOptions` from the
 * config's `net` section (`parseNetOptions`); without that binding the
 * documented defaults apply, with no private target allowed.
 */
export const netModule = new ContainerModule(({ bind, isBound }) => {
  if (!isBound(NetOptions)) bind(NetOptions).toConstantValue(DEFAULT_NET_OPTIONS);
  bind(DnsResolver).toConstantValue(systemResolver);
  bind(SafeFetch).toSelf().inSingletonScope();
});
