import type { TokenHttpRequest } from '../http.ts';
import { tokenRequest, type TokenClient } from './client-auth.ts';

/**
 * Exchanges an authorization code (RFC 6749 section 4.1.3). `redirectUri` must be
 * the one the authorization request used; `codeVerifier` is sent when the
 * request carried a PKCE challenge (RFC 7636 section 4.5).
 */
export function buildAuthorizationCodeRequest(
  client: TokenClient,
  code: string,
  redirectUri: string,
  codeVerifier: string | undefined,
): TokenHttpRequest {
  return tokenRequest(client, [
    ['grant_type', 'authorization_code'],
    ['code', code],
    ['redirect_uri', redirectUri],
    ['code_verifier', codeVerifier],
  ]);
}
