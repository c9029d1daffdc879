import type { ChatAdapter } from '../core/chat-adapter.js';
import type { ReadinessCheck } from '../http/readiness.js';

/** `/readyz` for a running adapter: its connection state where it keeps one, otherwise that it started. */
export function adapterReadiness(adapter: ChatAdapter): ReadinessCheck {
  return {
    name: adapter.platform,
    async check() {
      const state = adapter.connectionState?.();
      if (!state) return 'started';
      if (!state.connected) throw new Error(state.detail);
      return state.detail;
    },
  };
}
