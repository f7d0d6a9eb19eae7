import type { TokenHttpRequest } from '../http.ts';
import { tokenRequest, type TokenClient } from './client-auth.ts';

/**
 * Refreshes an access token (RFC 6749 section 6). A confidential client
 * authenticates as for its other grants; a public client sends its `client_id`.
 * `scope` is left out so the server grants the scope of the original sign-in.
 */
export function buildRefreshRequest(client: TokenClient, refreshToken: string): TokenHttpRequest {
  return tokenRequest(client, [
    ['grant_type', 'refresh_token'],
    ['refresh_token', refreshToken],
  ]);
}
