import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError } from './api.js';

export interface Loaded<T> {
  data: T | undefined;
  error: string;
  loading: boolean;
  reload(): void;
}

/** Loads from the API when the keys change (the acting user, a filter, new activity); keeps the last data while reloading. */
export function useLoad<T>(load: () => Promise<T>, keys: unknown[]): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState('');
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  useEffect(() => {
    let current = true;
    setLoading(true);
    load().then(
      (value) => { if (current) { setData(value); setError(''); } },
      (err: unknown) => { if (current) setError(err instanceof ApiError ? err.message : String(err)); },
    ).finally(() => { if (current) setLoading(false); });
    return () => { current = false; };
  }, [...keys, tick]);
  return { data, error, loading, reload };
}

export function when(iso: string): string {
  const at = new Date(iso);
  return `${at.toLocaleDateString()} ${at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' })}`;
}
