import { createHash } from 'node:crypto';
import { HttpResponse } from 'msw';
import type { TokenGrantContext } from './handlers.ts';
import { CODE_LIFETIME_MS, type IssuedToken, type MockClient } from './state.ts';

/**
 * Token endpoint handlers of the user-context grants: authorization code (with
 * PKCE verification, RFC 7636 section 4.6), refresh token (static or rotating,
 * RFC 6749 section 6) and resource owner password (section 4.3). Every refused
 * code or refresh token is `invalid_grant` (section 5.2).
 */

const noStore = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

function body(token: IssuedToken, client: MockClient, refreshToken: string | undefined) {
  return {
    access_token: token.value,
    token_type: 'bearer',
    expires_in: client.tokenLifetimeSeconds,
    ...(refreshToken ? { refresh_token: refreshToken } : {}),
  };
}

function s256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

type Handler = (ctx: TokenGrantContext) => Response;

const authorizationCode: Handler = ({ state, client, form, grant, log, fail }) => {
  const record = state.codes.get(form.get('code') ?? '');
  if (!record || record.clientId !== client.id) return fail(400, 'invalid_grant', 'authorization code is invalid', grant);
  if (record.used) {
    // A replayed code revokes what it issued (RFC 6749 section 4.1.2).
    for (const value of record.tokenValues) {
      const token = state.tokens.get(value);
      if (token) token.revoked = true;
    }
    return fail(400, 'invalid_grant', 'authorization code has already been used', grant);
  }
  if (state.now() - record.issuedAt > CODE_LIFETIME_MS) return fail(400, 'invalid_grant', 'authorization code has expired', grant);
  if (form.get('redirect_uri') !== record.redirectUri) return fail(400, 'invalid_grant', 'redirect_uri does not match the authorization request', grant);
  if (record.codeChallenge !== undefined) {
    const verifier = form.get('code_verifier');
    if (!verifier) return fail(400, 'invalid_grant', 'code_verifier is required', grant);
    if (s256(verifier) !== record.codeChallenge) return fail(400, 'invalid_grant', 'code_verifier does not match the code_challenge', grant);
  }
  record.used = true;
  const token = state.issueToken(client, client.secret === undefined ? 'pkce' : 'authorization_code');
  record.tokenValues.push(token.value);
  const refresh = state.refreshMode(client) === 'none' ? undefined : state.issueRefreshToken(client, record.userId);
  log(200, { grant, tokenId: token.id });
  return HttpResponse.json(body(token, client, refresh?.value), { headers: noStore });
};

const refreshToken: Handler = ({ state, client, form, grant, log, fail }) => {
  const record = state.refreshTokens.get(form.get('refresh_token') ?? '');
  if (!record || record.revoked || record.clientId !== client.id) {
    return fail(400, 'invalid_grant', 'refresh token is invalid, expired or revoked', grant);
  }
  const token = state.issueToken(client, 'refresh_token');
  let rotated: string | undefined;
  if (state.refreshMode(client) === 'rotating') {
    record.revoked = true;
    rotated = state.issueRefreshToken(client, record.userId).value;
  }
  log(200, { grant, tokenId: token.id });
  return HttpResponse.json(body(token, client, rotated), { headers: noStore });
};

const password: Handler = ({ state, client, form, grant, log, fail }) => {
  const user = state.users.get(form.get('username') ?? '');
  if (!user || user.password !== form.get('password')) return fail(400, 'invalid_grant', 'invalid username or password', grant);
  const token = state.issueToken(client, 'password');
  const refresh = state.refreshMode(client) === 'none' ? undefined : state.issueRefreshToken(client, user.id);
  log(200, { grant, tokenId: token.id });
  return HttpResponse.json(body(token, client, refresh?.value), { headers: noStore });
};

/** Merged into `TOKEN_GRANTS` by grant_type. */
export const USER_TOKEN_GRANTS: Record<string, Handler> = {
  authorization_code: authorizationCode,
  refresh_token: refreshToken,
  password,
};
