import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { setupServer } from 'msw/node';
import { createHandlers } from '../../build/mock/handlers.ts';
import { DEMO_CLIENT, MockState } from '../../build/mock/state.ts';

const clock = { now: Date.UTC(2026, 11, 4) };
const state = new MockState({ now: () => clock.now });
state.addClient({ id: 'post-client', secret: 'post-secret', grants: ['client_credentials'], tokenLifetimeSeconds: 300 });
state.addClient({ id: 'no-cc', secret: 's', grants: ['authorization_code'] });
const server = setupServer(...createHandlers(state));
server.listen({ onUnhandledRequest: 'error' });
afterEach(() => state.reset());
afterAll(() => server.close());

const LOGIN = 'https://login.mypurecloud.ie/oauth/token';
const API = 'https://api.mypurecloud.ie/api/v2';
const basic = (id: string, secret: string) => 'Basic ' + Buffer.from(`${id}:${secret}`).toString('base64');
const form = { 'Content-Type': 'application/x-www-form-urlencoded' };

async function token(body: string, headers: Record<string, string> = { ...form, Authorization: basic(DEMO_CLIENT.id, DEMO_CLIENT.secret) }) {
  const res = await fetch(LOGIN, { method: 'POST', headers, body });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function api(path: string, bearer?: string, method = 'GET') {
  const res = await fetch(API + path, { method, headers: bearer === undefined ? {} : { Authorization: `Bearer ${bearer}` } });
  return { status: res.status, body: res.status === 204 ? null : ((await res.json()) as Record<string, unknown>) };
}

describe('mock login server: POST /oauth/token', () => {
  it('issues a Genesys-shaped token with client_secret_basic', async () => {
    const r = await token('grant_type=client_credentials');
    expect(r.status).toBe(200);
    expect(Object.keys(r.body).sort()).toEqual(['access_token', 'expires_in', 'token_type']);
    expect(r.body).toMatchObject({ token_type: 'bearer', expires_in: 86399 });
    expect(state.stats()).toMatchObject({ tokenCalls: 1, tokensIssued: 1, tokenCallsByGrant: { client_credentials: 1 } });
  });

  it('accepts client_secret_post and the per-client lifetime', async () => {
    const r = await token('grant_type=client_credentials&client_id=post-client&client_secret=post-secret', form);
    expect(r).toMatchObject({ status: 200, body: { expires_in: 300 } });
  });

  it('decodes form-encoded Basic credentials (RFC 6749 section 2.3.1)', async () => {
    state.addClient({ id: 'odd id', secret: 'a+b/c=', grants: ['client_credentials'] });
    const header = 'Basic ' + Buffer.from('odd+id:a%2Bb%2Fc%3D').toString('base64');
    expect((await token('grant_type=client_credentials', { ...form, Authorization: header })).status).toBe(200);
  });

  it.each<[string, string, Record<string, string> | undefined, number, Record<string, string>]>([
    ['a wrong secret', 'grant_type=client_credentials', { ...form, Authorization: basic(DEMO_CLIENT.id, 'nope') }, 401, { error: 'invalid_client', description: 'authentication failed', error_description: 'authentication failed' }],
    ['an unknown client', 'grant_type=client_credentials', { ...form, Authorization: basic('who', 'x') }, 401, { error: 'invalid_client', description: 'authentication failed', error_description: 'authentication failed' }],
    ['no credentials', 'grant_type=client_credentials', form, 401, { error: 'invalid_client', description: 'authentication failed', error_description: 'authentication failed' }],
    ['an unknown grant', 'grant_type=magic', undefined, 400, { error: 'unsupported_grant_type', description: 'unsupported grant type: magic', error_description: 'unsupported grant type: magic' }],
    ['a missing grant', 'scope=x', undefined, 400, { error: 'invalid_request', description: 'missing grant_type', error_description: 'missing grant_type' }],
    ['a JSON body', '{"grant_type":"client_credentials"}', { 'Content-Type': 'application/json', Authorization: basic(DEMO_CLIENT.id, DEMO_CLIENT.secret) }, 400, { error: 'invalid_request', description: 'content type must be application/x-www-form-urlencoded', error_description: 'content type must be application/x-www-form-urlencoded' }],
    ['a grant the client may not use', 'grant_type=client_credentials', { ...form, Authorization: basic('no-cc', 's') }, 400, { error: 'unauthorized_client', description: 'client is not authorized for this grant type', error_description: 'client is not authorized for this grant type' }],
  ])('refuses %s like Genesys', async (_name, body, headers, status, error) => {
    const r = await token(body, headers);
    expect(r).toEqual({ status, body: error });
    expect(state.stats().tokensIssued).toBe(0);
  });
});

describe('mock API host', () => {
  it('checks every bearer: missing, unknown, expired, revoked', async () => {
    expect(await api('/tokens/me')).toEqual({
      status: 401,
      body: { message: 'No authentication bearer token specified in authorization header.', code: 'authentication.required', status: 401, details: [], errors: [] },
    });
    const badCredentials = { status: 401, body: { message: 'Invalid login credentials.', code: 'bad.credentials', status: 401, details: [], errors: [] } };
    expect(await api('/tokens/me', 'made-up')).toEqual(badCredentials);
    const t = String((await token('grant_type=client_credentials')).body['access_token']);
    expect((await api('/tokens/me', t)).status).toBe(200);
    clock.now += 86_399_000;
    expect(await api('/tokens/me', t)).toEqual(badCredentials);
    clock.now -= 86_399_000;
    expect((await api('/routing/queues', t, 'DELETE')).status).toBe(200);
    expect((await api('/tokens/me', t, 'DELETE')).status).toBe(204);
    expect(await api('/tokens/me', t)).toEqual(badCredentials);
    expect(state.stats().apiUnauthorized).toBe(4);
  });

  it('describes the token and refuses /users/me to client credentials', async () => {
    const t = String((await token('grant_type=client_credentials')).body['access_token']);
    const me = await api('/tokens/me', t);
    expect(me.body).toMatchObject({ OAuthClient: { id: DEMO_CLIENT.id, authorizedGrantType: 'CLIENT_CREDENTIALS' }, organization: { id: 'mock-org-id' } });
    expect(await api('/users/me', t)).toEqual({
      status: 400,
      body: { message: 'This request requires a user context. Client credentials cannot be used for requests to this resource.', code: 'bad.request', status: 400, details: [], errors: [] },
    });
  });

  it('echoes other API paths for a valid token, and logs no credential', async () => {
    const t = String((await token('grant_type=client_credentials')).body['access_token']);
    const r = await api('/routing/queues?pageSize=25', t);
    expect(r).toEqual({ status: 200, body: { mock: true, method: 'GET', path: '/api/v2/routing/queues', query: { pageSize: '25' }, token: { id: 't1', grant: 'client_credentials', clientId: DEMO_CLIENT.id } } });
    const log = JSON.stringify(state.log);
    expect(log).not.toContain(t);
    expect(log).not.toContain(DEMO_CLIENT.secret);
    expect(state.log.map((e) => `${e.kind} ${e.host} ${e.status} ${e.tokenId}`)).toEqual([
      'token login.mypurecloud.ie 200 t1',
      'api api.mypurecloud.ie 200 t1',
    ]);
  });
});
