import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startInProcessMock } from '../helpers/newman.ts';
import { addUserClients, POSTMAN_CALLBACK, submitSignIn, USER_CLIENTS } from '../helpers/user-grants.ts';

/** The mock's authorization server on its own: what the end-to-end tests rely on it to refuse. */
const mock = startInProcessMock();
beforeAll(() => addUserClients(mock.state));
afterEach(() => {
  mock.state.reset();
  addUserClients(mock.state);
});
afterAll(() => mock.server.close());

const LOGIN = 'https://login.mypurecloud.ie';
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

function authorizeUrl(params: Record<string, string>): string {
  return `${LOGIN}/oauth/authorize?${new URLSearchParams({ redirect_uri: POSTMAN_CALLBACK, state: 'st', ...params }).toString()}`;
}

async function token(form: Record<string, string>, basic?: [string, string]) {
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
  if (basic) headers['Authorization'] = 'Basic ' + Buffer.from(`${basic[0]}:${basic[1]}`).toString('base64');
  const response = await fetch(`${LOGIN}/oauth/token`, { method: 'POST', headers, body: new URLSearchParams(form).toString() });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

function codeOf(redirect: string): string {
  return new URL(redirect).searchParams.get('code') ?? '';
}

describe('mock GET/POST /oauth/authorize', () => {
  it('serves a sign-in form with username and password fields for a valid request', async () => {
    const response = await fetch(authorizeUrl({ response_type: 'code', client_id: USER_CLIENTS.code.id }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await response.text();
    expect(html).toContain('<input name="username" id="username"');
    expect(html).toContain('<input name="password" id="password" type="password"');
    expect(html).toContain('<input type="hidden" name="state" value="st">');
  });

  it('shows (does not redirect) an unknown client or an unregistered redirect_uri', async () => {
    const unknown = await fetch(authorizeUrl({ response_type: 'code', client_id: 'nobody' }));
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('<p id="error">Unknown client_id &#34;nobody&#34;.</p>');
    const wrongRedirect = await fetch(authorizeUrl({ response_type: 'code', client_id: USER_CLIENTS.code.id, redirect_uri: 'https://evil.test/cb' }), {
      redirect: 'manual',
    });
    expect(wrongRedirect.status).toBe(400);
    expect(await wrongRedirect.text()).toContain('redirect_uri &#34;https://evil.test/cb&#34; is not registered for client &#34;code-client&#34;.');
  });

  it('redirects a public client without code_challenge, and a client without the grant, with the OAuth error', async () => {
    const noChallenge = await fetch(authorizeUrl({ response_type: 'code', client_id: USER_CLIENTS.pkce.id }), { redirect: 'manual' });
    expect(noChallenge.status).toBe(302);
    expect(noChallenge.headers.get('location')).toBe(
      `${POSTMAN_CALLBACK}?error=invalid_request&error_description=code_challenge+is+required+for+public+clients&state=st`,
    );
    const noGrant = await fetch(authorizeUrl({ response_type: 'token', client_id: USER_CLIENTS.code.id }), { redirect: 'manual' });
    expect(noGrant.headers.get('location')).toBe(
      `${POSTMAN_CALLBACK}#error=unauthorized_client&error_description=client+is+not+authorized+for+the+implicit+grant&state=st`,
    );
  });

  it('a wrong password shows the form again with an error', async () => {
    await expect(submitSignIn(authorizeUrl({ response_type: 'code', client_id: USER_CLIENTS.code.id }), { password: 'nope' })).rejects.toThrow(
      /sign-in answered 401: .*<p id="error" role="alert">Invalid username or password\.<\/p>/,
    );
    expect(mock.state.signIns).toBe(0);
  });
});

describe('mock token endpoint for user grants', () => {
  it('codes are single-use: a replay is invalid_grant and revokes the token the code gave', async () => {
    const { id, secret } = USER_CLIENTS.code;
    const code = codeOf(await submitSignIn(authorizeUrl({ response_type: 'code', client_id: id })));
    const form = { grant_type: 'authorization_code', code, redirect_uri: POSTMAN_CALLBACK };
    const first = await token(form, [id, secret]);
    expect(first.status).toBe(200);
    expect(first.body['refresh_token']).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const replay = await token(form, [id, secret]);
    expect(replay).toEqual({
      status: 400,
      body: { error: 'invalid_grant', description: 'authorization code has already been used', error_description: 'authorization code has already been used' },
    });
    const api = await fetch('https://api.mypurecloud.ie/api/v2/tokens/me', { headers: { Authorization: `Bearer ${first.body['access_token']}` } });
    expect(api.status).toBe(401);
  });

  it('checks the PKCE verifier against the S256 challenge (RFC 7636 Appendix B values)', async () => {
    const { id } = USER_CLIENTS.pkce;
    const url = authorizeUrl({ response_type: 'code', client_id: id, code_challenge: CHALLENGE, code_challenge_method: 'S256' });
    const wrong = await token({ grant_type: 'authorization_code', code: codeOf(await submitSignIn(url)), redirect_uri: POSTMAN_CALLBACK, client_id: id, code_verifier: 'x'.repeat(43) });
    expect(wrong.body['error_description']).toBe('code_verifier does not match the code_challenge');
    const right = await token({ grant_type: 'authorization_code', code: codeOf(await submitSignIn(url)), redirect_uri: POSTMAN_CALLBACK, client_id: id, code_verifier: VERIFIER });
    expect(right.status).toBe(200);
    expect(right.body['refresh_token']).toBeUndefined();
    expect(createHash('sha256').update(VERIFIER).digest('base64url')).toBe(CHALLENGE);
  });

  it('rotating refresh tokens: the old one is invalid_grant once used; static ones are kept', async () => {
    const rotating = USER_CLIENTS.pkceRotating;
    const url = authorizeUrl({ response_type: 'code', client_id: rotating.id, code_challenge: CHALLENGE, code_challenge_method: 'S256' });
    const signedIn = await token({ grant_type: 'authorization_code', code: codeOf(await submitSignIn(url)), redirect_uri: POSTMAN_CALLBACK, client_id: rotating.id, code_verifier: VERIFIER });
    const r1 = signedIn.body['refresh_token'] as string;
    const refreshed = await token({ grant_type: 'refresh_token', refresh_token: r1, client_id: rotating.id });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body['refresh_token']).not.toBe(r1);
    const reused = await token({ grant_type: 'refresh_token', refresh_token: r1, client_id: rotating.id });
    expect(reused.body['error']).toBe('invalid_grant');

    const { id, secret } = USER_CLIENTS.code;
    const code = codeOf(await submitSignIn(authorizeUrl({ response_type: 'code', client_id: id })));
    const stat = await token({ grant_type: 'authorization_code', code, redirect_uri: POSTMAN_CALLBACK }, [id, secret]);
    const again = await token({ grant_type: 'refresh_token', refresh_token: stat.body['refresh_token'] as string }, [id, secret]);
    expect(again.status).toBe(200);
    expect(again.body['refresh_token']).toBeUndefined();
    expect(mock.state.revokeRefreshTokens()).toBe(2);
    const revoked = await token({ grant_type: 'refresh_token', refresh_token: stat.body['refresh_token'] as string }, [id, secret]);
    expect(revoked.body['error_description']).toBe('refresh token is invalid, expired or revoked');
  });
});
