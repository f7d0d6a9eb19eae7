import { http, HttpResponse, type RequestHandler } from 'msw';
import { API_ERRORS, tokenError } from './genesys-bodies.ts';
import { applyFault, parseScenario } from './faults.ts';
import { authorizeHandlers } from './authorize.ts';
import type { IssuedToken, MockClient, MockState } from './state.ts';
import { USER_TOKEN_GRANTS } from './user-grants.ts';

/** Path prefix of the mock's own control endpoints (loopback use only). */
export const CONTROL_PREFIX = '/__mock';

const noStore = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

function formDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}

/** Client credentials from `Authorization: Basic` (RFC 6749 section 2.3.1) or the form body. */
function clientCredentials(request: Request, form: URLSearchParams) {
  const header = request.headers.get('authorization');
  if (header && /^basic /i.test(header)) {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return { malformed: true as const };
    try {
      return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)), via: 'basic' as const };
    } catch {
      return { malformed: true as const };
    }
  }
  const id = form.get('client_id');
  if (id === null) return undefined;
  return { id, secret: form.get('client_secret') ?? undefined, via: 'post' as const };
}

function tokenBody(token: IssuedToken, client: MockClient) {
  return { access_token: token.value, token_type: 'bearer', expires_in: client.tokenLifetimeSeconds };
}

async function handleToken(state: MockState, request: Request): Promise<Response> {
  const url = new URL(request.url);
  const log = (status: number, extra: { grant?: string; tokenId?: string; error?: string }) =>
    state.record({ kind: 'token', method: 'POST', host: url.host, path: url.pathname, status, ...extra });
  const fail = (status: number, error: string, description: string, grant?: string) => {
    log(status, { error, ...(grant ? { grant } : {}) });
    return HttpResponse.json(tokenError(error, description), { status, headers: noStore });
  };
  const fault = await applyFault(state.faults, 'token', request);
  if (fault && 'response' in fault) {
    log(fault.status, { error: fault.label });
    return fault.response;
  }

  const type = request.headers.get('content-type') ?? '';
  if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    return fail(400, 'invalid_request', 'content type must be application/x-www-form-urlencoded');
  }
  const form = new URLSearchParams(await request.text());
  const grant = form.get('grant_type') ?? undefined;
  const credentials = clientCredentials(request, form);
  if (!credentials || 'malformed' in credentials) return fail(401, 'invalid_client', 'authentication failed', grant);
  const client = state.clients.get(credentials.id);
  if (!client || (client.secret !== undefined && credentials.secret !== client.secret)) {
    return fail(401, 'invalid_client', 'authentication failed', grant);
  }
  if (!grant) return fail(400, 'invalid_request', 'missing grant_type');
  const handler = TOKEN_GRANTS[grant];
  if (!handler) return fail(400, 'unsupported_grant_type', `unsupported grant type: ${grant}`, grant);
  if (!client.grants.includes(grant)) {
    return fail(400, 'unauthorized_client', 'client is not authorized for this grant type', grant);
  }
  return handler({ state, client, form, via: credentials.via, grant, log, fail });
}

/** What a grant handler of the token endpoint gets. */
export interface TokenGrantContext {
  state: MockState;
  client: MockClient;
  form: URLSearchParams;
  via: 'basic' | 'post';
  grant: string;
  log: (status: number, extra: { grant?: string; tokenId?: string; error?: string }) => void;
  fail: (status: number, error: string, description: string, grant?: string) => Response;
}

/** Token endpoint grant handlers, by `grant_type`. */
export const TOKEN_GRANTS: Record<string, (ctx: TokenGrantContext) => Response | Promise<Response>> = {
  client_credentials: ({ state, client, grant, log, fail }) => {
    if (client.secret === undefined) return fail(400, 'unauthorized_client', 'public clients cannot use client_credentials', grant);
    const token = state.issueToken(client, grant);
    log(200, { grant, tokenId: token.id });
    return HttpResponse.json(tokenBody(token, client), { headers: noStore });
  },
  ...USER_TOKEN_GRANTS,
};

function bearerOf(request: Request): string | undefined {
  const header = request.headers.get('authorization');
  if (!header) return undefined;
  const match = /^bearer\s+(.*)$/i.exec(header.trim());
  return match ? (match[1] ?? '').trim() : '';
}

async function handleApi(state: MockState, request: Request): Promise<Response> {
  const url = new URL(request.url);
  const log = (status: number, token?: IssuedToken, error?: string) =>
    state.record({
      kind: 'api',
      method: request.method,
      host: url.host,
      path: url.pathname,
      status,
      ...(token ? { tokenId: token.id, grant: token.grant } : {}),
      ...(error ? { error } : {}),
    });
  const plan = state.faults;
  if (plan.revokeAfterApiCalls !== undefined && state.log.filter((e) => e.kind === 'api').length >= plan.revokeAfterApiCalls) {
    plan.revokeAfterApiCalls = undefined;
    state.revokeAll();
  }
  const fault = await applyFault(plan, 'api', request);
  if (fault && fault.label === 'fault:revoke') state.revokeAll();
  if (fault && 'response' in fault) {
    log(fault.status, undefined, fault.label);
    return fault.response;
  }

  const bearer = bearerOf(request);
  if (!bearer) {
    log(401, undefined, API_ERRORS.noBearer.code);
    return HttpResponse.json(API_ERRORS.noBearer, { status: 401 });
  }
  const check = state.checkToken(bearer);
  if (!('token' in check)) {
    log(401, undefined, `${API_ERRORS.badCredentials.code} (${check.reason})`);
    return HttpResponse.json(API_ERRORS.badCredentials, { status: 401 });
  }
  const { token } = check;
  const client = state.clients.get(token.clientId);
  const path = url.pathname.replace(/\/+$/, '');

  if (path === '/api/v2/tokens/me') {
    if (request.method === 'DELETE') {
      token.revoked = true;
      log(204, token);
      return new HttpResponse(null, { status: 204 });
    }
    if (request.method === 'GET' || request.method === 'HEAD') {
      log(200, token);
      return HttpResponse.json({
        organization: { id: 'mock-org-id', name: 'Mock Organization' },
        homeOrganization: { id: 'mock-org-id', name: 'Mock Organization' },
        authorizedScope: ['*'],
        OAuthClient: {
          id: token.clientId,
          name: client?.name ?? token.clientId,
          organization: { id: token.grant === 'client_credentials' ? 'mock-org-id' : 'purecloud-builtin' },
          authorizedGrantType: token.grant.toUpperCase(),
        },
      });
    }
  }
  if (path === '/api/v2/users/me' && request.method === 'GET') {
    if (token.grant === 'client_credentials') {
      log(400, token, API_ERRORS.notAUser.code);
      return HttpResponse.json(API_ERRORS.notAUser, { status: 400 });
    }
    log(200, token);
    return HttpResponse.json({ id: 'mock-user-id', name: 'Mock User', email: 'mock.user@example.com', state: 'active' });
  }

  log(200, token);
  const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.text();
  return HttpResponse.json({
    mock: true,
    method: request.method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    ...(body ? { bodyLength: body.length } : {}),
    token: { id: token.id, grant: token.grant, clientId: token.clientId },
  });
}

function handleControl(state: MockState): RequestHandler[] {
  return [
    http.get(`*${CONTROL_PREFIX}/stats`, () => HttpResponse.json(state.stats())),
    http.get(`*${CONTROL_PREFIX}/log`, () => HttpResponse.json(state.log)),
    http.post(`*${CONTROL_PREFIX}/reset`, () => {
      state.reset();
      return new HttpResponse(null, { status: 204 });
    }),
    http.post(`*${CONTROL_PREFIX}/revoke`, () => HttpResponse.json({ revoked: state.revokeAll() })),
    http.get(`*${CONTROL_PREFIX}/scenario`, () =>
      HttpResponse.json({ token: state.faults.token, api: state.faults.api, revokeAfterApiCalls: state.faults.revokeAfterApiCalls, applied: state.faults.applied }),
    ),
    http.post(`*${CONTROL_PREFIX}/scenario`, async ({ request }) => {
      let body: unknown;
      try {
        body = await request.json();
      } catch {
        return HttpResponse.json({ error: 'the scenario must be JSON' }, { status: 400 });
      }
      const scenario = parseScenario(body);
      if (typeof scenario === 'string') return HttpResponse.json({ error: scenario }, { status: 400 });
      state.faults.set(scenario);
      return new HttpResponse(null, { status: 204 });
    }),
    http.post(`*${CONTROL_PREFIX}/revoke-refresh-tokens`, () => HttpResponse.json({ revoked: state.revokeRefreshTokens() })),
  ];
}

/**
 * MSW request handlers of the mock Genesys Cloud login and API hosts. They
 * match any origin, so the same handlers serve in-process (`setupServer`, with
 * real `https://login.mypurecloud.ie` style hosts) and on loopback
 * (`@mswjs/http-middleware`), where login and API share one origin.
 */
export function createHandlers(state: MockState): RequestHandler[] {
  return [
    ...handleControl(state),
    http.post('*/oauth/token', ({ request }) => handleToken(state, request)),
    ...authorizeHandlers(state),
    http.all('*/api/v2/*', ({ request }) => handleApi(state, request)),
  ];
}
