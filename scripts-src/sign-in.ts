import { buildAuthorizeUrl } from './authorize-url.ts';
import type { OAuthConfig, RedirectGrant } from './config.ts';
import { OAuthKitError } from './errors.ts';
import { createCodeVerifier, createState, hasSecureRandom, s256Challenge } from './pkce.ts';
import { NO_CRYPTO, type Sandbox } from './sandbox.ts';
import { CACHE, SETTING } from './variables.ts';

/** How to sign in from a terminal; shown wherever a sign-in is needed. */
export const TERMINAL_SIGN_IN =
  'From a terminal: postman-oauth-kit login <collection.json> -e <environment.json>, then newman run <collection.json> -e <environment.json>.';

function cryptoOf(sandbox: Sandbox) {
  return sandbox.crypto ?? NO_CRYPTO;
}

/** A sign-in the script started: kept in the token store until its redirect is pasted. */
export interface PendingSignIn {
  state: string;
  verifier: string | undefined;
}

export function readPendingSignIn(sandbox: Sandbox): PendingSignIn | undefined {
  const state = sandbox.store.get(CACHE.pendingState);
  if (!state) return undefined;
  const verifier = sandbox.store.get(CACHE.pendingVerifier);
  return { state, verifier: verifier ? verifier : undefined };
}

export function clearPendingSignIn(sandbox: Sandbox): void {
  sandbox.store.set(CACHE.pendingState, '');
  sandbox.store.set(CACHE.pendingVerifier, '');
}

/**
 * The authorization URL of the sign-in in progress, starting one when there is
 * none (RFC 6749 section 4.1.1/4.2.1, RFC 7636 section 4.3). A started sign-in
 * is reused so that sending twice before pasting does not invalidate the first
 * URL. Needs Web Crypto for a new `state`/verifier and refuses without it.
 */
export async function authorizationUrl(sandbox: Sandbox, config: OAuthConfig, clientId: string, grant: RedirectGrant): Promise<string> {
  const needsVerifier = config.usePkce && grant !== 'implicit';
  let pending = readPendingSignIn(sandbox);
  if (!pending || (needsVerifier && !pending.verifier)) {
    pending = {
      state: createState(cryptoOf(sandbox)),
      verifier: needsVerifier ? createCodeVerifier(cryptoOf(sandbox)) : undefined,
    };
    sandbox.store.set(CACHE.pendingState, pending.state);
    sandbox.store.set(CACHE.pendingVerifier, pending.verifier ?? '');
  }
  return buildAuthorizeUrl({
    authorizeUrl: config.authorizeUrl ?? '',
    responseType: grant === 'implicit' ? 'token' : 'code',
    clientId,
    redirectUri: config.redirectUri,
    state: pending.state,
    scope: config.scope,
    audience: config.audience,
    codeChallenge: needsVerifier && pending.verifier ? await s256Challenge(pending.verifier, cryptoOf(sandbox)) : undefined,
  });
}

/**
 * The instructions that end every "sign in" message: the URL where one can be made,
 * always the terminal way. `url` is returned apart so the failure reporter can keep
 * it intact: its `state` and `code_challenge` look like tokens to the redaction
 * layer but are meant to be opened.
 */
export async function signInInstructions(
  sandbox: Sandbox,
  config: OAuthConfig,
  clientId: string,
  grant: RedirectGrant,
): Promise<{ text: string; url: string | undefined }> {
  const pending = readPendingSignIn(sandbox);
  const needsVerifier = config.usePkce && grant !== 'implicit';
  if (!hasSecureRandom(cryptoOf(sandbox)) && (!pending || (needsVerifier && !pending.verifier))) {
    return {
      text:
        'This sandbox (newman) has no cryptographically secure random source for the sign-in "state" and PKCE verifier, and the script never falls back to Math.random, so it cannot start a sign-in here. ' +
        TERMINAL_SIGN_IN +
        ' Or send the request from the Postman app.',
      url: undefined,
    };
  }
  const url = await authorizationUrl(sandbox, config, clientId, grant);
  return {
    text:
      `To sign in, open ${url} in a browser, sign in, then paste the whole address the browser is redirected to into the variable "${SETTING.callbackUrl}" and send again. ` +
      TERMINAL_SIGN_IN,
    url,
  };
}

/** Fails with `why` followed by the sign-in instructions. */
export async function signInRequired(
  sandbox: Sandbox,
  config: OAuthConfig,
  clientId: string,
  grant: RedirectGrant,
  why: string,
  code: 'SIGN_IN_REQUIRED' | 'REFRESH_REFUSED' | 'STATE_MISMATCH' | 'SIGN_IN_FAILED' = 'SIGN_IN_REQUIRED',
  cause?: Record<string, unknown>,
): Promise<never> {
  const instructions = await signInInstructions(sandbox, config, clientId, grant);
  throw new OAuthKitError(
    code,
    `${why} ${instructions.text}`,
    instructions.url === undefined ? cause : { ...(cause ?? {}), authorizationUrl: instructions.url },
  );
}
