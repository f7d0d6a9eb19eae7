import { OAuthKitError } from './errors.ts';
import type { Sandbox } from './sandbox.ts';
import type { RetryPolicy } from './retry.ts';
import { DEFAULTS, SETTING } from './variables.ts';

export const GRANTS = ['client_credentials', 'authorization_code', 'pkce', 'implicit', 'password'] as const;
export type GrantType = (typeof GRANTS)[number];
/** Grants that act for a signed-in user (RFC 6749 sections 4.1-4.3, RFC 7636). */
export type UserGrant = Exclude<GrantType, 'client_credentials'>;
/** Grants that send the user's browser to the authorization endpoint. */
export type RedirectGrant = Exclude<UserGrant, 'password'>;

export function isRedirectGrant(grant: GrantType): grant is RedirectGrant {
  return grant === 'authorization_code' || grant === 'pkce' || grant === 'implicit';
}
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
  /** Redirect grants only; validated when the grant needs it. */
  authorizeUrl: string | undefined;
  redirectUri: string;
  /** authorization_code: add a PKCE challenge too (always on for `pkce`). */
  usePkce: boolean;
  /** password grant: raw values, possibly `{{vault:key}}` references. */
  usernameRaw: string;
  passwordRaw: string;
}

export { configFingerprint } from './config-fingerprint.ts';

function urlSetting(sandbox: Sandbox, name: string, example: string): string | undefined {
  const value = resolved(sandbox, name);
  if (value !== undefined && !isHttpUrl(value)) {
    throw new OAuthKitError('CONFIG_INVALID', `"${name}" must be an absolute http(s) URL (got "${value}"), e.g. ${example}.`, {
      variable: name,
    });
  }
  return value;
}

function raw(sandbox: Sandbox, name: string): string | undefined {
  const value = sandbox.getVariable(name);
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function resolved(sandbox: Sandbox, name: string): string | undefined {
  const value = raw(sandbox, name);
  if (value === undefined) return undefined;
  // replaceIn walks every variable scope; skip it for the usual plain value (the bench counts it).
  const out = value.indexOf('{{') < 0 ? value : sandbox.replaceIn(value).trim();
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
  const authorizeUrl = urlSetting(sandbox, SETTING.authorizeUrl, 'https://login.mypurecloud.com/oauth/authorize');
  if (authorizeUrl === undefined && isRedirectGrant(grant as GrantType)) {
    throw new OAuthKitError(
      'CONFIG_MISSING',
      `"${SETTING.authorizeUrl}" is not set; the ${grant} grant needs it. Set it to the authorization endpoint, e.g. https://login.mypurecloud.com/oauth/authorize.`,
      { variable: SETTING.authorizeUrl },
    );
  }
  const redirectUri = urlSetting(sandbox, SETTING.redirectUri, DEFAULTS.redirectUri) ?? DEFAULTS.redirectUri;
  const usePkce = resolved(sandbox, SETTING.usePkce) ?? 'false';
  if (usePkce !== 'true' && usePkce !== 'false') {
    throw new OAuthKitError('CONFIG_INVALID', `"${SETTING.usePkce}" is "${usePkce}"; use "true" or "false".`, { variable: SETTING.usePkce });
  }
  return {
    grant: grant as GrantType,
    authorizeUrl,
    redirectUri,
    usePkce: grant === 'pkce' || usePkce === 'true',
    usernameRaw: raw(sandbox, SETTING.username) ?? DEFAULTS.username,
    passwordRaw: raw(sandbox, SETTING.password) ?? DEFAULTS.password,
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
