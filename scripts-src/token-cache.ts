import { expiryOf } from './expiry.ts';
import type { VariableStore } from './sandbox.ts';
import type { TokenSet } from './token-response.ts';
import { CACHE } from './variables.ts';

/** A token as kept between requests (and, with an environment store, between runs). */
export interface CachedToken {
  accessToken: string;
  obtainedAt: number;
  expiresAt: number;
  fingerprint: string;
}

function time(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const t = Date.parse(value);
  return isNaN(t) ? undefined : t;
}

/** Reads the cached token; anything incomplete or unparsable counts as no token. */
export function readCachedToken(store: VariableStore): CachedToken | undefined {
  const accessToken = store.get(CACHE.accessToken);
  const obtainedAt = time(store.get(CACHE.obtainedAt));
  const expiresAt = time(store.get(CACHE.expiresAt));
  const fingerprint = store.get(CACHE.fingerprint);
  if (!accessToken || obtainedAt === undefined || expiresAt === undefined || !fingerprint) return undefined;
  return { accessToken, obtainedAt, expiresAt, fingerprint };
}

/** Turns a fresh token response into the cache record. */
export function toCachedToken(
  tokens: TokenSet,
  requestedAt: number,
  defaultExpiresInSeconds: number,
  fingerprint: string,
): CachedToken {
  return {
    accessToken: tokens.accessToken,
    obtainedAt: requestedAt,
    expiresAt: expiryOf(requestedAt, tokens.expiresIn ?? defaultExpiresInSeconds),
    fingerprint,
  };
}

export function writeCachedToken(store: VariableStore, token: CachedToken): void {
  store.set(CACHE.accessToken, token.accessToken);
  store.set(CACHE.obtainedAt, new Date(token.obtainedAt).toISOString());
  store.set(CACHE.expiresAt, new Date(token.expiresAt).toISOString());
  store.set(CACHE.fingerprint, token.fingerprint);
}

export function clearCachedToken(store: VariableStore): void {
  for (const name of [CACHE.accessToken, CACHE.obtainedAt, CACHE.expiresAt, CACHE.fingerprint]) store.set(name, '');
}
