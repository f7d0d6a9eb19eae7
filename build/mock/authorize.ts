import { http, HttpResponse, type RequestHandler } from 'msw';
import type { MockClient, MockState } from './state.ts';

/**
 * The mock's authorization endpoint (RFC 6749 sections 3.1, 4.1.1, 4.2.1; RFC
 * 7636 section 4.3): `GET /oauth/authorize` shows a real HTML sign-in form
 * (username, password), `POST /oauth/authorize` checks the user and redirects
 * with a one-time code in the query or, for `response_type=token`, an access
 * token in the fragment. `state` is passed through untouched.
 */

const AUTHORIZE_PARAMS = ['response_type', 'client_id', 'redirect_uri', 'scope', 'state', 'code_challenge', 'code_challenge_method'] as const;

type Params = Partial<Record<(typeof AUTHORIZE_PARAMS)[number], string>>;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string, status = 200): Response {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body>${body}</body></html>`;
  return new HttpResponse(html, { status, headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' } });
}

/** An error the user sees on the page, because redirecting could reach an attacker (section 4.1.2.1). */
function errorPage(message: string): Response {
  return page('Sign-in error', `<h1>Sign-in error</h1><p id="error">${escapeHtml(message)}</p>`, 400);
}

function redirectTo(redirectUri: string, values: Record<string, string | undefined>, inFragment: boolean): Response {
  const pairs = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value !== undefined) pairs.append(key, value);
  const base = inFragment ? redirectUri.replace(/#.*$/, '') : redirectUri;
  const location = inFragment ? `${base}#${pairs.toString()}` : `${base}${base.includes('?') ? '&' : '?'}${pairs.toString()}`;
  return new HttpResponse(null, { status: 302, headers: { Location: location, 'Cache-Control': 'no-store' } });
}

type Checked = { client: MockClient; redirectUri: string; responseType: 'code' | 'token' } | { response: Response };

/** Validates an authorization request; errors that are safe to redirect are redirected. */
function check(state: MockState, params: Params): Checked {
  const client = params.client_id ? state.clients.get(params.client_id) : undefined;
  if (!client) return { response: errorPage(`Unknown client_id "${params.client_id ?? ''}".`) };
  const redirectUri = params.redirect_uri ?? '';
  if (!(client.redirectUris ?? []).includes(redirectUri)) {
    return { response: errorPage(`redirect_uri "${redirectUri}" is not registered for client "${client.id}".`) };
  }
  const inFragment = params.response_type === 'token';
  const fail = (error: string, description: string) =>
    ({ response: redirectTo(redirectUri, { error, error_description: description, state: params.state }, inFragment) }) as const;
  if (params.response_type !== 'code' && params.response_type !== 'token') {
    return fail('unsupported_response_type', 'response_type must be code or token');
  }
  const grant = params.response_type === 'code' ? 'authorization_code' : 'implicit';
  if (!client.grants.includes(grant)) return fail('unauthorized_client', `client is not authorized for the ${grant} grant`);
  if (params.code_challenge !== undefined && params.code_challenge_method !== 'S256') {
    return fail('invalid_request', 'code_challenge_method must be S256');
  }
  if (params.response_type === 'code' && client.secret === undefined && params.code_challenge === undefined) {
    return fail('invalid_request', 'code_challenge is required for public clients');
  }
  return { client, redirectUri, responseType: params.response_type };
}

function signInForm(params: Params, client: MockClient, message?: string): Response {
  const hidden = AUTHORIZE_PARAMS.filter((k) => params[k] !== undefined)
    .map((k) => `<input type="hidden" name="${k}" value="${escapeHtml(params[k] as string)}">`)
    .join('');
  return page(
    'Sign in - Mock Genesys Cloud',
    `<h1>Sign in</h1><p>to continue to <strong id="client-name">${escapeHtml(client.name)}</strong></p>` +
      (message ? `<p id="error" role="alert">${escapeHtml(message)}</p>` : '') +
      `<form method="post" action="/oauth/authorize">${hidden}` +
      '<label>Username <input name="username" id="username" autocomplete="username" required></label>' +
      '<label>Password <input name="password" id="password" type="password" autocomplete="current-password" required></label>' +
      '<button type="submit" id="sign-in" name="action" value="sign-in">Sign in</button>' +
      '<button type="submit" id="deny" name="action" value="deny" formnovalidate>Deny</button>' +
      '</form>',
    message ? 401 : 200,
  );
}

function pick(source: URLSearchParams): Params {
  const params: Params = {};
  for (const key of AUTHORIZE_PARAMS) {
    const value = source.get(key);
    if (value !== null) params[key] = value;
  }
  return params;
}

async function handleSubmit(state: MockState, request: Request): Promise<Response> {
  const form = new URLSearchParams(await request.text());
  const params = pick(form);
  const checked = check(state, params);
  if ('response' in checked) return checked.response;
  const { client, redirectUri, responseType } = checked;
  const inFragment = responseType === 'token';
  const url = new URL(request.url);
  const log = (status: number, grant: string, extra: { tokenId?: string; error?: string } = {}) =>
    state.record({ kind: 'other', method: 'POST', host: url.host, path: url.pathname, status, grant, ...extra });
  const grant = responseType === 'code' ? 'authorization_code' : 'implicit';
  if (form.get('action') === 'deny') {
    log(302, grant, { error: 'access_denied' });
    return redirectTo(redirectUri, { error: 'access_denied', error_description: 'The user denied access', state: params.state }, inFragment);
  }
  const user = state.users.get(form.get('username') ?? '');
  if (!user || user.password !== form.get('password')) {
    log(401, grant, { error: 'bad_credentials' });
    return signInForm(params, client, 'Invalid username or password.');
  }
  state.signIns++;
  if (responseType === 'token') {
    const token = state.issueToken(client, 'implicit');
    log(302, grant, { tokenId: token.id });
    return redirectTo(
      redirectUri,
      { access_token: token.value, token_type: 'bearer', expires_in: String(client.tokenLifetimeSeconds), state: params.state },
      true,
    );
  }
  const code = state.issueCode({
    clientId: client.id,
    userId: user.id,
    redirectUri,
    codeChallenge: params.code_challenge,
    codeChallengeMethod: params.code_challenge_method,
  });
  log(302, grant);
  return redirectTo(redirectUri, { code: code.value, state: params.state }, false);
}

/** `GET` and `POST /oauth/authorize` on any origin. */
export function authorizeHandlers(state: MockState): RequestHandler[] {
  return [
    http.get('*/oauth/authorize', ({ request }) => {
      const params = pick(new URL(request.url).searchParams);
      const checked = check(state, params);
      return 'response' in checked ? checked.response : signInForm(params, checked.client);
    }),
    http.post('*/oauth/authorize', ({ request }) => handleSubmit(state, request)),
  ];
}
