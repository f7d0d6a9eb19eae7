import { readCallback } from './callback-url.ts';
import { isRedirectGrant, type OAuthConfig, type RedirectGrant, type UserGrant } from './config.ts';
import { OAuthKitError } from './errors.ts';
import { isFresh } from './expiry.ts';
import { buildAuthorizationCodeRequest } from './grants/authorization-code.ts';
import type { TokenClient } from './grants/client-auth.ts';
import { implicitTokenSet } from './grants/implicit.ts';
import { buildPasswordRequest } from './grants/password.ts';
import { buildRefreshRequest } from './grants/refresh.ts';
import type { Sandbox } from './sandbox.ts';
import { clearPendingSignIn, readPendingSignIn, signInRequired } from './sign-in.ts';
import { clearCachedToken, readCachedToken, toCachedToken, writeCachedToken } from './token-cache.ts';
import { callTokenEndpoint } from './token-endpoint.ts';
import type { TokenSet } from './token-response.ts';
import { CACHE, SETTING } from './variables.ts';
import { resolveSecret } from './vault.ts';

/** What happened for a user-context grant. */
export type UserOutcome = 'reused' | 'refreshed' | 'signed-in' | 'fetched';

interface Seen {
  values: string[];
}

async function tokenClient(sandbox: Sandbox, config: OAuthConfig, clientId: string, seen: Seen): Promise<TokenClient> {
  // PKCE clients are public: no secret (RFC 7636, Genesys Cloud "Code Authorization (PKCE)").
  if (config.grant === 'pkce' || config.grant === 'implicit') {
    return { tokenUrl: config.tokenUrl, clientId, clientSecret: undefined, clientAuth: config.clientAuth };
  }
  const clientSecret = await resolveSecret(sandbox, SETTING.clientSecret, config.clientSecretRaw);
  seen.values.push(clientSecret);
  return { tokenUrl: config.tokenUrl, clientId, clientSecret, clientAuth: config.clientAuth };
}

function isInvalidGrant(error: unknown): error is OAuthKitError {
  return error instanceof OAuthKitError && error.code === 'TOKEN_ENDPOINT_ERROR' && !!error.cause && error.cause['error'] === 'invalid_grant';
}

/** Stores a fresh token set; a refresh without a new refresh token keeps the old one (RFC 6749 section 6). */
function store(sandbox: Sandbox, tokens: TokenSet, now: number, config: OAuthConfig, fingerprint: string, seen: Seen): void {
  seen.values.push(tokens.accessToken);
  const record = toCachedToken(tokens, now, config.defaultExpiresInSeconds, fingerprint);
  writeCachedToken(sandbox.store, record);
  if (tokens.refreshToken) {
    seen.values.push(tokens.refreshToken);
    sandbox.store.set(CACHE.refreshToken, tokens.refreshToken);
  }
  sandbox.setLocal(CACHE.accessToken, record.accessToken);
}

function clearTokens(sandbox: Sandbox): void {
  clearCachedToken(sandbox.store);
  sandbox.store.set(CACHE.refreshToken, '');
}

/** Completes a sign-in from the pasted redirect address in `oauth_callback_url`. */
async function completeSignIn(
  sandbox: Sandbox,
  config: OAuthConfig,
  clientId: string,
  grant: RedirectGrant,
  pasted: string,
  fingerprint: string,
  seen: Seen,
): Promise<UserOutcome> {
  // Consumed whatever happens: a code is single-use and a stale paste must not be retried.
  if (sandbox.clearVariable) sandbox.clearVariable(SETTING.callbackUrl);
  else sandbox.setLocal(SETTING.callbackUrl, '');
  const now = sandbox.now();
  let result;
  try {
    result = readCallback(pasted, grant === 'implicit' ? 'token' : 'code');
  } catch (error) {
    if (error instanceof OAuthKitError && error.code === 'SIGN_IN_FAILED') {
      clearPendingSignIn(sandbox);
      return signInRequired(sandbox, config, clientId, grant, error.message, 'SIGN_IN_FAILED', error.cause);
    }
    throw error;
  }
  if (result.kind === 'token') seen.values.push(result.accessToken);
  else seen.values.push(result.code);
  const pending = readPendingSignIn(sandbox);
  if (result.state === undefined) {
    return signInRequired(
      sandbox,
      config,
      clientId,
      grant,
      `"${SETTING.callbackUrl}" has no "state" parameter, so the sign-in was rejected (RFC 6749 section 10.12).`,
      'STATE_MISMATCH',
    );
  }
  if (!pending || result.state !== pending.state) {
    return signInRequired(
      sandbox,
      config,
      clientId,
      grant,
      `the "state" in "${SETTING.callbackUrl}" does not match the sign-in this collection started, so the sign-in was rejected (an old or foreign sign-in; RFC 6749 section 10.12).`,
      'STATE_MISMATCH',
    );
  }
  let tokens: TokenSet;
  if (result.kind === 'token') {
    tokens = implicitTokenSet(result);
  } else {
    if (config.usePkce && !pending.verifier) {
      return signInRequired(sandbox, config, clientId, grant, 'the PKCE code verifier of this sign-in is missing ("oauth_pending_verifier" was cleared).');
    }
    const client = await tokenClient(sandbox, config, clientId, seen);
    const request = buildAuthorizationCodeRequest(client, result.code, config.redirectUri, config.usePkce ? pending.verifier : undefined);
    try {
      tokens = await callTokenEndpoint(sandbox, request);
    } catch (error) {
      if (!isInvalidGrant(error)) throw error;
      clearPendingSignIn(sandbox);
      return signInRequired(sandbox, config, clientId, grant, `${error.message} The authorization code was not accepted.`, 'SIGN_IN_FAILED', error.cause);
    }
  }
  clearPendingSignIn(sandbox);
  clearTokens(sandbox);
  store(sandbox, tokens, now, config, fingerprint, seen);
  return 'signed-in';
}

function expiredWhy(grant: UserGrant, hadToken: boolean): string {
  if (!hadToken) return `"${SETTING.grant}" is "${grant}" and there is no access token yet, so you need to sign in.`;
  if (grant === 'implicit') return 'the access token from the implicit sign-in expired and the implicit grant has no refresh token, so you need to sign in again.';
  if (grant === 'pkce') {
    return 'the access token expired and the server issued no refresh token (Genesys Cloud issues none to PKCE clients), so you need to sign in again.';
  }
  return 'the access token expired and there is no refresh token, so you need to sign in again.';
}

/**
 * Makes sure the request has a token for a user-context grant: a pasted sign-in
 * redirect is completed first; then a fresh cached token is reused; otherwise the
 * refresh token is used (RFC 6749 section 6), the password grant asks again, or
 * the request fails with sign-in instructions.
 */
export async function ensureUserToken(
  sandbox: Sandbox,
  config: OAuthConfig,
  clientId: string,
  fingerprint: string,
  seen: Seen,
): Promise<UserOutcome> {
  const grant = config.grant as UserGrant;
  const pasted = (sandbox.getVariable(SETTING.callbackUrl) ?? '').trim();
  if (pasted !== '' && isRedirectGrant(grant)) return completeSignIn(sandbox, config, clientId, grant, pasted, fingerprint, seen);

  const now = sandbox.now();
  const cached = readCachedToken(sandbox.store);
  const ours = cached !== undefined && cached.fingerprint === fingerprint;
  if (cached) seen.values.push(cached.accessToken);
  if (ours && isFresh(now, cached.obtainedAt, cached.expiresAt, config.refreshMarginSeconds)) {
    sandbox.setLocal(CACHE.accessToken, cached.accessToken);
    return 'reused';
  }
  const refreshToken = ours ? sandbox.store.get(CACHE.refreshToken) : undefined;
  if (refreshToken) seen.values.push(refreshToken);

  if (refreshToken && grant !== 'implicit') {
    const client = await tokenClient(sandbox, config, clientId, seen);
    try {
      const tokens = await callTokenEndpoint(sandbox, buildRefreshRequest(client, refreshToken));
      store(sandbox, tokens, now, config, fingerprint, seen);
      return 'refreshed';
    } catch (error) {
      if (!isInvalidGrant(error)) throw error;
      clearTokens(sandbox);
      if (grant !== 'password') {
        return signInRequired(
          sandbox,
          config,
          clientId,
          grant,
          `the server refused the refresh token: ${error.message} The stored tokens were cleared, so you need to sign in again.`,
          'REFRESH_REFUSED',
          error.cause,
        );
      }
      // password: the credentials are at hand, so ask again below instead of failing.
    }
  }

  if (grant === 'password') {
    const client = await tokenClient(sandbox, config, clientId, seen);
    const username = await resolveSecret(sandbox, SETTING.username, config.usernameRaw);
    const password = await resolveSecret(sandbox, SETTING.password, config.passwordRaw);
    seen.values.push(password);
    let tokens: TokenSet;
    try {
      tokens = await callTokenEndpoint(sandbox, buildPasswordRequest(client, username, password, config.scope, config.audience));
    } catch (error) {
      if (!isInvalidGrant(error)) throw error;
      throw new OAuthKitError(
        'TOKEN_ENDPOINT_ERROR',
        `${error.message} Check "${SETTING.username}" and the password behind "${SETTING.password}" (Postman Vault; newman: --env-var "vault:oauth-password=<value>").`,
        error.cause,
      );
    }
    clearTokens(sandbox);
    store(sandbox, tokens, now, config, fingerprint, seen);
    return 'fetched';
  }
  if (ours) clearTokens(sandbox);
  return signInRequired(sandbox, config, clientId, grant, expiredWhy(grant, ours));
}
