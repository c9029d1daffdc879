import { OpsroomError } from '../../core/errors.js';
import { CapabilityDeniedError, NetworkError, netDenied, netFailed } from './net-errors.js';
import { formatDuration } from './net-format.js';
import { effectivePort } from './host-pattern.js';

const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|DEPTH_ZERO_|SELF_SIGNED_|UNABLE_TO_|HOSTNAME_MISMATCH|ERR_OSSL_)/;

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function wireFailure(error: unknown, url: URL, redact: (text: string) => string): NetworkError {
  const host = url.hostname;
  const code = codeOf(error);
  if (code === 'ECONNREFUSED') return netFailed(`net: ${host}:${effectivePort(url)} refused the connection`);
  if (code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE') return netFailed(`net: ${host} closed the connection before the response was complete`);
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return netFailed(`net: ${host} cannot be reached (${code})`);
  if (code !== undefined && TLS_CODE.test(code)) return netFailed(`net: TLS with ${host} failed (${code})`);
  const reason = error instanceof Error ? error.message : String(error);
  return netFailed(`net: request to ${host} failed${code ? ` (${code})` : ''}: ${redact(reason)}`);
}

/**
 * The one error a plugin sees for a failed fetch: a timeout once the deadline
 * passed, our own refusals with any echoed secret redacted, and every low-level
 * failure turned into a short message without a stack or a cause.
 */
export function describeFailure(error: unknown, url: URL, timedOut: boolean, timeoutMs: number, redact: (text: string) => string): Error {
  if (timedOut) return netDenied(`net: ${url.hostname} did not answer within ${formatDuration(timeoutMs)}`);
  if (error instanceof CapabilityDeniedError) return netDenied(redact(error.message));
  if (error instanceof NetworkError) return netFailed(redact(error.message));
  if (error instanceof OpsroomError) return error;
  return wireFailure(error, url, redact);
}
