import { OAuthKitError } from './errors.ts';
import type { Sandbox } from './sandbox.ts';
import type { RetryPolicy } from './retry.ts';
import { DEFAULTS, SETTING } from './variables.ts';

export const GRANTS = ['client_credentials'] as const;
export type GrantType = (typeof GRANTS)[number];
export type ClientAuthMethod = 'basic' | 'post';
export type TokenStoreScope = 'collection' | 'environment';

/** Settings with `{{variables}}` resolved; secrets stay raw until a grant needs them. */
export interface OAuthConfig {
  grant: GrantType;
  tokenUrl: string;
  /** Raw values, possibly `{{vault:key}}` references (see `resolveSecret`). */
  clientIdRaw: string;
  clientSecretRaw: string;
  clientAuth: ClientAuthMethod;
  scope: string | undefined;
  audience: string | undefined;
  refreshMarginSeconds: number;
  defaultExpiresInSeconds: number;
}

function raw(sandbox: Sandbox, name: string): string | undefined {
  const value = sandbox.getVariable(name);
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function resolved(sandbox: Sandbox, name: string): string | undefined {
  const value = raw(sandbox, name);
  if (value === undefined) return undefined;
  const out = sandbox.replaceIn(value).trim();
  const unresolved = /\{\{([^{}]+)\}\}/.exec(out);
  if (unresolved) {
    throw new OAuthKitError(
      'CONFIG_INVALID',
      `"${name}" refers to the variable "${unresolved[1]}", which is not defined. Define it in the collection or the active environment.`,
      { variable: name, missing: unresolved[1] },
    );
  }
  return out === '' ? undefined : out;
}

function seconds(sandbox: Sandbox, name: string, fallback: number, allowZero: boolean): number {
  const value = resolved(sandbox, name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !isFinite(n) || (!allowZero && n === 0)) {
    throw new OAuthKitError(
      'CONFIG_INVALID',
      `"${name}" must be a ${allowZero ? 'non-negative' : 'positive'} number of seconds (got "${value}"). Fix the variable or clear it to use the default (${fallback}).`,
      { variable: name },
    );
  }
  return n;
}

/** Reads the token store scope on its own: the sandbox adapter needs it first. */
export function readTokenStore(getVariable: (name: string) => string | undefined): TokenStoreScope {
  const value = (getVariable(SETTING.tokenStore) ?? '').trim();
  if (value === '' ) return DEFAULTS.tokenStore;
  if (value === 'collection' || value === 'environment') return value;
  throw new OAuthKitError(
    'CONFIG_INVALID',
    `"${SETTING.tokenStore}" is "${value}"; use "collection" or "environment".`,
    { variable: SETTING.tokenStore },
  );
}

/** True for an absolute http(s) URL; the sandbox has no `URL` class. */
export function isHttpUrl(value: string): boolean {
  return /^https?:\/\/[^\s/?#]+(?:[/?#]\S*)?$/i.test(value);
}

/** Reads and validates every `oauth_` setting of the current request's scopes. */
export function readConfig(sandbox: Sandbox): OAuthConfig {
  const grant = resolved(sandbox, SETTING.grant) ?? DEFAULTS.grant;
  if (!(GRANTS as readonly string[]).includes(grant)) {
    throw new OAuthKitError(
      'CONFIG_INVALID',
      `"${SETTING.grant}" is "${grant}"; use one of: ${GRANTS.join(', ')}.`,
      { variable: SETTING.grant },
    );
  }
  const tokenUrl = resolved(sandbox, SETTING.tokenUrl);
  if (tokenUrl === undefined) {
    throw new OAuthKitError(
      'CONFIG_MISSING',
      `"${SETTING.tokenUrl}" is not set. Set it to the token endpoint, e.g. https://login.mypurecloud.com/oauth/token.`,
      { variable: SETTING.tokenUrl },
    );
  }
  if (!isHttpUrl(tokenUrl)) {
    throw new OAuthKitError(
      'CONFIG_INVALID',
      `"${SETTING.tokenUrl}" must be an absolute http(s) URL (got "${tokenUrl}").`,
      { variable: SETTING.tokenUrl },
    );
  }
  const clientAuth = resolved(sandbox, SETTING.clientAuth) ?? DEFAULTS.clientAuth;
  if (clientAuth !== 'basic' && clientAuth !== 'post') {
    throw new OAuthKitError(
      'CONFIG_INVALID',
      `"${SETTING.clientAuth}" is "${clientAuth}"; use "basic" (Authorization header) or "post" (credentials in the form body).`,
      { variable: SETTING.clientAuth },
    );
  }
  return {
    grant: grant as GrantType,
    tokenUrl,
    clientIdRaw: raw(sandbox, SETTING.clientId) ?? DEFAULTS.clientId,
    clientSecretRaw: raw(sandbox, SETTING.clientSecret) ?? DEFAULTS.clientSecret,
    clientAuth,
    scope: resolved(sandbox, SETTING.scope),
    audience: resolved(sandbox, SETTING.audience),
    refreshMarginSeconds: seconds(sandbox, SETTING.refreshMargin, DEFAULTS.refreshMarginSeconds, true),
    defaultExpiresInSeconds: seconds(sandbox, SETTING.defaultExpiresIn, DEFAULTS.defaultExpiresInSeconds, false),
  };
}

function wholeNumber(sandbox: Sandbox, name: string, fallback: number, min: number, max: number): number {
  const value = resolved(sandbox, name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) {
    throw new OAuthKitError(
      'CONFIG_INVALID',
      `"${name}" must be a whole number from ${min} to ${max} (got "${value}"). Fix the variable or clear it to use the default (${fallback}).`,
      { variable: name },
    );
  }
  return n;
}

/**
 * Reads the token endpoint retry settings (`oauth_retry_*`); see retry.ts.
 * Read on its own so that every grant's token call gets it without passing it.
 */
export function readRetryPolicy(sandbox: Sandbox): RetryPolicy {
  return {
    attempts: wholeNumber(sandbox, SETTING.retryAttempts, DEFAULTS.retryAttempts, 1, 10),
    baseDelayMs: seconds(sandbox, SETTING.retryBaseDelay, DEFAULTS.retryBaseDelaySeconds, true) * 1000,
    maxDelayMs: seconds(sandbox, SETTING.retryMaxDelay, DEFAULTS.retryMaxDelaySeconds, true) * 1000,
    retryAfterCapMs: seconds(sandbox, SETTING.retryAfterCap, DEFAULTS.retryAfterCapSeconds, true) * 1000,
  };
}

/** `oauth_retry_on_401`: whether a 401 on a request carrying our token re-runs it once. */
export function readRetryOn401(getVariable: (name: string) => string | undefined): boolean {
  const value = (getVariable(SETTING.retryOn401) ?? '').trim().toLowerCase();
  if (value === '') return DEFAULTS.retryOn401;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new OAuthKitError(
    'CONFIG_INVALID',
    `"${SETTING.retryOn401}" is "${value}"; use "true" or "false".`,
    { variable: SETTING.retryOn401 },
  );
}
