/**
 * Token lifetime arithmetic. All times are milliseconds since the epoch.
 * RFC 6749 section 5.1: `expires_in` is the lifetime in seconds from the time the
 * response was generated; we count it from when the request was sent, which errs
 * on the safe side.
 */

/** Absolute expiry of a token issued at `issuedAt` with `expiresInSeconds`. */
export function expiryOf(issuedAt: number, expiresInSeconds: number): number {
  return issuedAt + Math.round(expiresInSeconds * 1000);
}

/**
 * How long before expiry a token is replaced: the configured margin, or 10% of
 * the token's lifetime for short-lived tokens, whichever is smaller.
 */
export function refreshMarginMs(lifetimeMs: number, marginSeconds: number): number {
  return Math.max(0, Math.min(marginSeconds * 1000, lifetimeMs * 0.1));
}

/** True while a token obtained at `obtainedAt`, expiring at `expiresAt`, may still be used at `now`. */
export function isFresh(now: number, obtainedAt: number, expiresAt: number, marginSeconds: number): boolean {
  const margin = refreshMarginMs(expiresAt - obtainedAt, marginSeconds);
  return now < expiresAt - margin;
}
