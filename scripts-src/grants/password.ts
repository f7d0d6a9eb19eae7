import type { TokenHttpRequest } from '../http.ts';
import { tokenRequest, type TokenClient } from './client-auth.ts';

/** Resource owner password credentials (RFC 6749 section 4.3.2), for providers that still offer it. */
export function buildPasswordRequest(
  client: TokenClient,
  username: string,
  password: string,
  scope: string | undefined,
  audience: string | undefined,
): TokenHttpRequest {
  return tokenRequest(client, [
    ['grant_type', 'password'],
    ['username', username],
    ['password', password],
    ['scope', scope],
    ['audience', audience],
  ]);
}
