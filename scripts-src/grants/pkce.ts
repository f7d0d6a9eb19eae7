import type { TokenHttpRequest } from '../http.ts';
import { buildAuthorizationCodeRequest } from './authorization-code.ts';
import type { TokenClient } from './client-auth.ts';

/**
 * Code exchange of a public client with PKCE (RFC 7636 section 4.5): no client
 * secret, `client_id` and `code_verifier` in the body, as Genesys Cloud expects.
 */
export function buildPkceCodeRequest(
  client: Omit<TokenClient, 'clientSecret'>,
  code: string,
  redirectUri: string,
  codeVerifier: string,
): TokenHttpRequest {
  return buildAuthorizationCodeRequest({ ...client, clientSecret: undefined }, code, redirectUri, codeVerifier);
}
