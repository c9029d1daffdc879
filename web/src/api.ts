/** The console's JSON API: every call says who the page speaks as, and every change carries the CSRF token. */

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

let csrfToken = '';
let actingUser = '';

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

export function setActingUser(name: string): void {
  actingUser = name;
}

async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (actingUser) headers['x-opsroom-as'] = actingUser;
  if (method === 'POST') {
    headers['x-csrf-token'] = csrfToken;
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(path, { method, headers, credentials: 'same-origin', ...(method === 'POST' ? { body: JSON.stringify(body ?? {}) } : {}) });
  const text = await res.text();
  let value: unknown;
  try {
    value = text ? JSON.parse(text) : {};
  } catch {
    throw new ApiError(res.status, 'E_INTERNAL', `opsroom answered ${res.status} without JSON`);
  }
  if (!res.ok) {
    const problem = value as { error?: string; code?: string };
    throw new ApiError(res.status, problem.code ?? 'E_INTERNAL', problem.error ?? `opsroom answered ${res.status}`);
  }
  return value as T;
}

export const api = {
  get: <T>(path: string) => call<T>('GET', path),
  post: <T>(path: string, body?: unknown) => call<T>('POST', path, body),
};

/** A query string of the given filters, leaving out empty ones. */
export function queryOf(filters: Record<string, string>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value.trim()) params.set(key, value.trim());
  const text = params.toString();
  return text ? `?${text}` : '';
}
