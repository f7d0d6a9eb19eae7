/**
 * Retry policy of token endpoint calls: which failures are worth another try and
 * how long to wait before it. Pure functions; `token-endpoint.ts` drives them.
 *
 * - 5xx except 501 (RFC 9110 section 15.6) and transient network errors: capped
 *   exponential backoff with jitter.
 * - 429 (RFC 6585 section 4): wait what `Retry-After` (RFC 9110 section 10.2.3,
 *   delay-seconds or HTTP-date) asks, up to a cap; a longer wait fails at once.
 * - Everything else, notably 4xx OAuth errors (RFC 6749 section 5.2), is final.
 */

/** Retry settings, all times in milliseconds. */
export interface RetryPolicy {
  /** Total tries including the first (1 = no retry). */
  attempts: number;
  /** Backoff before the first retry; doubles each retry. */
  baseDelayMs: number;
  /** Upper bound of one backoff wait. */
  maxDelayMs: number;
  /** Longest `Retry-After` wait honoured; a 429 asking more fails at once. */
  retryAfterCapMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 8000,
  retryAfterCapMs: 30000,
};

/** Network error codes of `pm.sendRequest` (Node's) that a later try may not hit. */
export const RETRYABLE_NETWORK_CODES: readonly string[] = [
  'ECONNREFUSED',
  'ECONNRESET',
  'ESOCKETTIMEDOUT',
  'ETIMEDOUT',
  'EPIPE',
  'ECONNABORTED',
  'EAI_AGAIN',
];

/** True for HTTP statuses a retry can fix: 5xx other than 501 Not Implemented. */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 && status <= 599 && status !== 501;
}

export function isRetryableNetworkCode(code: string): boolean {
  return RETRYABLE_NETWORK_CODES.indexOf(code) >= 0;
}

/**
 * Capped exponential backoff with "equal jitter": before retry `n` (1-based) the
 * wait is between half and all of `min(maxDelay, baseDelay * 2^(n-1))`, so
 * clients that failed together do not come back together, yet never retry at once.
 * `random` returns a number in [0, 1).
 */
export function backoffDelayMs(retry: number, policy: RetryPolicy, random: () => number): number {
  const exponent = Math.min(Math.max(retry - 1, 0), 30);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * Math.pow(2, exponent));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(ceiling / 2 + (ceiling / 2) * r);
}

/**
 * Milliseconds a `Retry-After` value asks to wait at `now`: delay-seconds or an
 * HTTP-date (RFC 9110 section 10.2.3). A date in the past means 0; anything
 * unparsable gives `undefined`.
 */
export function parseRetryAfterMs(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** What to do after a failed try. */
export type RetryDecision =
  | { action: 'retry'; delayMs: number; reason: string }
  | { action: 'give-up'; reason: string }
  | { action: 'too-long'; askedMs: number };

/**
 * Decides about try number `attempt` (1-based) that ended with HTTP `status`
 * (or a network error `networkCode`), given its `Retry-After` header.
 */
export function decideRetry(
  failure: { status?: number; networkCode?: string; retryAfter?: string },
  attempt: number,
  policy: RetryPolicy,
  now: number,
  random: () => number,
): RetryDecision {
  const { status, networkCode } = failure;
  let reason: string;
  if (status === 429) {
    reason = 'HTTP 429';
    const asked = parseRetryAfterMs(failure.retryAfter, now);
    if (asked !== undefined && asked > policy.retryAfterCapMs) return { action: 'too-long', askedMs: asked };
    if (attempt >= policy.attempts) return { action: 'give-up', reason };
    return { action: 'retry', delayMs: asked ?? backoffDelayMs(attempt, policy, random), reason };
  }
  if (status !== undefined) {
    if (!isRetryableStatus(status)) return { action: 'give-up', reason: `HTTP ${status}` };
    reason = `HTTP ${status}`;
  } else if (networkCode !== undefined && isRetryableNetworkCode(networkCode)) {
    reason = networkCode;
  } else {
    return { action: 'give-up', reason: networkCode ?? 'network error' };
  }
  if (attempt >= policy.attempts) return { action: 'give-up', reason };
  return { action: 'retry', delayMs: backoffDelayMs(attempt, policy, random), reason };
}
