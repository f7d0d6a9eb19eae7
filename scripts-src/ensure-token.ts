import { configFingerprint, readConfig, type OAuthConfig } from './config.ts';
import { isFresh } from './expiry.ts';
import { buildClientCredentialsRequest } from './grants/client-credentials.ts';
import type { Sandbox } from './sandbox.ts';
import { readCachedToken, toCachedToken, writeCachedToken } from './token-cache.ts';
import { callTokenEndpoint } from './token-endpoint.ts';
import type { ensureUserToken } from './user-grants.ts';
import { OAuthKitError } from './errors.ts';
import { CACHE, SETTING } from './variables.ts';
import { resolveSecret } from './vault.ts';

/** What `ensureToken` did for the current request. */
export type Outcome = 'reused' | 'fetched' | 'refreshed' | 'signed-in' | 'own-auth';

/** Values the failure reporter must redact; filled in as they become known. */
export interface SecretsSeen {
  values: string[];
}

/** True when the request declares an auth of its own that is not our bearer token. */
function hasOwnAuth(sandbox: Sandbox): boolean {
  const auth = sandbox.requestAuth();
  if (!auth) return false;
  if (auth.type !== 'bearer') return true;
  return auth.token !== undefined && !auth.token.includes(CACHE.accessToken);
}

async function obtainToken(sandbox: Sandbox, config: OAuthConfig, clientId: string, seen: SecretsSeen) {
  const clientSecret = await resolveSecret(sandbox, SETTING.clientSecret, config.clientSecretRaw);
  seen.values.push(clientSecret);
  const request = buildClientCredentialsRequest({
    tokenUrl: config.tokenUrl,
    clientId,
    clientSecret,
    clientAuth: config.clientAuth,
    scope: config.scope,
    audience: config.audience,
  });
  const tokens = await callTokenEndpoint(sandbox, request);
  seen.values.push(tokens.accessToken);
  if (tokens.refreshToken) seen.values.push(tokens.refreshToken);
  return tokens;
}

/**
 * Makes sure the current request carries a valid access token: reuses the cached
 * one while it is fresh for the current settings, otherwise obtains a new one and
 * caches it. The token is also set as a local variable so that the collection's
 * bearer auth resolves to exactly this token, whatever other scope defines.
 */
/**
 * The user-context grants (authorization code, PKCE, implicit, password), passed
 * in by the bundle entry that includes them: the client-credentials-only bundle
 * leaves them out and stays small.
 */
export type UserGrantHandler = typeof ensureUserToken;

export async function ensureToken(sandbox: Sandbox, seen: SecretsSeen, userGrants?: UserGrantHandler): Promise<Outcome> {
  if (hasOwnAuth(sandbox)) return 'own-auth';
  const config = readConfig(sandbox);
  const clientId = await resolveSecret(sandbox, SETTING.clientId, config.clientIdRaw);
  const fingerprint = configFingerprint(config, clientId);
  // Dispatch on the grant read now, so switching "oauth_grant" needs no rebuild.
  if (config.grant !== 'client_credentials') {
    if (!userGrants) {
      throw new OAuthKitError(
        'CONFIG_INVALID',
        `"${SETTING.grant}" is "${config.grant}", but this collection carries the client-credentials-only script (inject --slim). Re-run "postman-oauth-kit inject" without --slim to get every grant.`,
        { variable: SETTING.grant },
      );
    }
    return userGrants(sandbox, config, clientId, fingerprint, seen);
  }
  const now = sandbox.now();
  const cached = readCachedToken(sandbox.store);
  if (cached) seen.values.push(cached.accessToken);
  if (
    cached &&
    cached.fingerprint === fingerprint &&
    isFresh(now, cached.obtainedAt, cached.expiresAt, config.refreshMarginSeconds)
  ) {
    sandbox.setLocal(CACHE.accessToken, cached.accessToken);
    return 'reused';
  }
  const tokens = await obtainToken(sandbox, config, clientId, seen);
  const record = toCachedToken(tokens, now, config.defaultExpiresInSeconds, fingerprint);
  writeCachedToken(sandbox.store, record);
  sandbox.setLocal(CACHE.accessToken, record.accessToken);
  return 'fetched';
}
