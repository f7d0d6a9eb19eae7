/**
 * Fault matrix: every token endpoint fault of issue 4, injected through the mock
 * (its fault queue, per-test `server.use()` passthrough to raw loopback sockets),
 * run through real newman (in-process). Each case asserts the calls the server
 * saw, whether the API request was sent, newman's exit code, the exact failure
 * message and that newman finished (no crash).
 */
import { http, passthrough } from 'msw';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { FaultScenario } from '../../build/mock/faults.ts';
import { injectIntoCollection } from '../../build/inject.ts';
import { builtBundle, requestsCollection, SECRET_ENV } from '../helpers/collections.ts';
import { runCollection, startInProcessMock } from '../helpers/newman.ts';
import { closedPort, startRawTokenServer } from '../helpers/sockets.ts';

const mock = startInProcessMock();
afterEach(() => {
  mock.state.reset();
  mock.server.resetHandlers();
});
afterAll(() => mock.server.close());

const TOKEN_URL = 'https://login.mypurecloud.ie/oauth/token';
/** Fast backoff so the matrix runs quickly; Retry-After waits are still real. */
const FAST = [
  { key: 'oauth_retry_base_delay', value: '0.01' },
  { key: 'oauth_retry_max_delay', value: '0.05' },
];
const GAVE_UP = ' Gave up after 4 attempts ("oauth_retry_attempts").';
const NOT_JSON_ADVICE = 'Check "oauth_token_url" points at the token endpoint.';
const NO_TOKEN =
  '. The server sent no usable token: check that "oauth_token_url" is the OAuth token endpoint and that the provider is healthy.';

/** The failure newman reports for a request our script refused to send. */
function failure(message: string): string {
  return `[postman-oauth-kit] ${message}: ${message} The request was not sent.`;
}

function collection(count: number) {
  const c = requestsCollection(count);
  injectIntoCollection(c, builtBundle(), { tokenUrl: '{{token_url}}' }, 'requests.json');
  return c;
}

interface Case {
  name: string;
  scenario?: FaultScenario;
  env?: Array<{ key: string; value: string }>;
  requests?: number;
  /** Token calls the server(s) saw. */
  tokenCalls: number;
  /** API requests the mock answered. */
  apiCalls: number;
  exitCode: 0 | 1;
  /** Exact message of every failure (one per request that was not sent). */
  message?: string;
}

const status = (code: number, extra: Partial<{ body: string | Record<string, unknown>; contentType: string; headers: Record<string, string>; times: number }> = {}) => ({
  type: 'status' as const,
  status: code,
  ...extra,
});
const oauthError = (code: number, error: string, description: string, times = 1) =>
  status(code, { body: { error, description, error_description: description }, times });

const CASES: Case[] = [
  // Retried and recovered.
  { name: '503 once, then a token', scenario: { token: [status(503)] }, tokenCalls: 2, apiCalls: 1, exitCode: 0 },
  { name: '500 then 502, then a token', scenario: { token: [status(500), status(502)] }, tokenCalls: 3, apiCalls: 1, exitCode: 0 },
  { name: '504 three times, then a token (4th attempt)', scenario: { token: [status(504, { times: 3 })] }, tokenCalls: 4, apiCalls: 1, exitCode: 0 },
  { name: '429 with Retry-After: 1, then a token', scenario: { token: [status(429, { headers: { 'Retry-After': '1' } })] }, tokenCalls: 2, apiCalls: 1, exitCode: 0 },
  {
    name: '429 with an HTTP-date Retry-After, then a token',
    scenario: { token: [status(429, { headers: { 'Retry-After': new Date(Date.now() + 1000).toUTCString() } })] },
    tokenCalls: 2,
    apiCalls: 1,
    exitCode: 0,
  },
  { name: '429 without Retry-After (backoff), then a token', scenario: { token: [status(429)] }, tokenCalls: 2, apiCalls: 1, exitCode: 0 },
  // Retried until the attempts run out.
  {
    name: '503 on every attempt',
    scenario: { token: [status(503, { times: 4 })] },
    tokenCalls: 4,
    apiCalls: 0,
    exitCode: 1,
    message: `the token endpoint answered HTTP 503 without an OAuth error body. Check "oauth_token_url" and that the server is up.${GAVE_UP}`,
  },
  {
    name: 'an outage: 4 calls for the first of 3 requests, the others fail at once during the rest period',
    scenario: { token: [status(503, { times: 100 })] },
    requests: 3,
    tokenCalls: 4,
    apiCalls: 0,
    exitCode: 1,
    message: `the token endpoint answered HTTP 503 without an OAuth error body. Check "oauth_token_url" and that the server is up.${GAVE_UP}`,
  },
  {
    name: '503 temporarily_unavailable (OAuth body) on every attempt',
    scenario: { token: [oauthError(503, 'temporarily_unavailable', 'try again later', 4)] },
    tokenCalls: 4,
    apiCalls: 0,
    exitCode: 1,
    message: `the token endpoint refused the request: HTTP 503 temporarily_unavailable (try again later).${GAVE_UP}`,
  },
  {
    name: '429 without Retry-After on every attempt',
    scenario: { token: [status(429, { times: 4 })] },
    tokenCalls: 4,
    apiCalls: 0,
    exitCode: 1,
    message: `the token endpoint answered HTTP 429 (too many requests). Wait and run again, or raise "oauth_retry_attempts".${GAVE_UP}`,
  },
  {
    name: 'oauth_retry_attempts=1: a 503 is not retried',
    scenario: { token: [status(503)] },
    env: [{ key: 'oauth_retry_attempts', value: '1' }],
    tokenCalls: 1,
    apiCalls: 0,
    exitCode: 1,
    message: 'the token endpoint answered HTTP 503 without an OAuth error body. Check "oauth_token_url" and that the server is up.',
  },
  // Failed at once.
  {
    name: '501 is not retried',
    scenario: { token: [status(501)] },
    tokenCalls: 1,
    apiCalls: 0,
    exitCode: 1,
    message: 'the token endpoint answered HTTP 501 without an OAuth error body. Check "oauth_token_url" and that the server is up.',
  },
  {
    name: '429 asking to wait longer than the cap fails at once',
    scenario: { token: [status(429, { headers: { 'Retry-After': '120' } })] },
    tokenCalls: 1,
    apiCalls: 0,
    exitCode: 1,
    message:
      'the token endpoint answered HTTP 429 (too many requests) and asked to wait 120 s (Retry-After), longer than "oauth_retry_after_cap" (30 s). Try again later, or raise "oauth_retry_after_cap".',
  },
  {
    name: 'invalid_client is never retried, and later requests of the run do not call again',
    scenario: { token: [oauthError(401, 'invalid_client', 'authentication failed')] },
    requests: 3,
    tokenCalls: 1,
    apiCalls: 0,
    exitCode: 1,
    message:
      'the token endpoint refused the request: HTTP 401 invalid_client (authentication failed). Check the client id and client secret, and "oauth_client_auth" (basic or post).',
  },
  {
    name: 'invalid_grant is never retried',
    scenario: { token: [oauthError(400, 'invalid_grant', 'grant is not valid')] },
    tokenCalls: 1,
    apiCalls: 0,
    exitCode: 1,
    message: 'the token endpoint refused the request: HTTP 400 invalid_grant (grant is not valid).',
  },
  {
    name: 'invalid_scope is never retried',
    scenario: { token: [oauthError(400, 'invalid_scope', 'scope not allowed')] },
    tokenCalls: 1,
    apiCalls: 0,
    exitCode: 1,
    message:
      'the token endpoint refused the request: HTTP 400 invalid_scope (scope not allowed). Check "oauth_scope" against the scopes the OAuth client may request.',
  },
  {
    name: 'a server echoing the client secret in error_description: redacted',
    scenario: { token: [oauthError(401, 'invalid_client', 'secret demo-client-secret is not valid for demo-client-id')] },
    tokenCalls: 1,
    apiCalls: 0,
    exitCode: 1,
    message:
      'the token endpoint refused the request: HTTP 401 invalid_client (secret [redacted] is not valid for demo-client-id). Check the client id and client secret, and "oauth_client_auth" (basic or post).',
  },
  {
    name: 'a server echoing a token-shaped value in error_description: redacted',
    scenario: { token: [oauthError(400, 'invalid_request', 'access_token=abc.def.ghi-1234 was sent')] },
    tokenCalls: 1,
    apiCalls: 0,
    exitCode: 1,
    message: 'the token endpoint refused the request: HTTP 400 invalid_request (access_token=[redacted] was sent). Check the token URL and the oauth_ settings.',
  },
  {
    name: 'a network error without an error code is not retried',
    scenario: { token: [{ type: 'network' }] },
    tokenCalls: 1,
    apiCalls: 0,
    exitCode: 1,
    message: 'could not reach the token endpoint (NETWORK_ERROR). Check "oauth_token_url" and that the server is up.',
  },
  // Malformed success responses.
  {
    name: 'HTML instead of JSON',
    scenario: { token: [status(200, { body: '<html><body>Sign in</body></html>' })] },
    tokenCalls: 1,
    apiCalls: 0,
    exitCode: 1,
    message: `"token response" body is not valid JSON (HTTP 200, content-type text/html; charset=utf-8). ${NOT_JSON_ADVICE}`,
  },
  {
    name: 'truncated JSON',
    scenario: { token: [status(200, { body: '{"access_token":"abc', contentType: 'application/json' })] },
    tokenCalls: 1,
    apiCalls: 0,
    exitCode: 1,
    message: `"token response" body is not valid JSON (HTTP 200, content-type application/json). ${NOT_JSON_ADVICE}`,
  },
  {
    name: 'access_token missing',
    scenario: { token: [status(200, { body: { token_type: 'bearer', expires_in: 3600 } })] },
    tokenCalls: 1,
    apiCalls: 0,
    exitCode: 1,
    message: `"token response" body "access_token" must be a non-empty string${NO_TOKEN}`,
  },
  {
    name: 'access_token not a string',
    scenario: { token: [status(200, { body: { access_token: 12345, expires_in: 3600 } })] },
    tokenCalls: 1,
    apiCalls: 0,
    exitCode: 1,
    message: `"token response" body "access_token" must be a non-empty string${NO_TOKEN}`,
  },
  {
    name: 'expires_in negative',
    scenario: { token: [status(200, { body: { access_token: 'x', expires_in: -5 } })] },
    tokenCalls: 1,
    apiCalls: 0,
    exitCode: 1,
    message: `"token response" body "expires_in" must be a positive number${NO_TOKEN}`,
  },
  {
    name: 'expires_in zero',
    scenario: { token: [status(200, { body: { access_token: 'x', expires_in: 0 } })] },
    tokenCalls: 1,
    apiCalls: 0,
    exitCode: 1,
    message: `"token response" body "expires_in" must be a positive number${NO_TOKEN}`,
  },
  {
    name: 'expires_in a string',
    scenario: { token: [status(200, { body: { access_token: 'x', expires_in: '3600' } })] },
    tokenCalls: 1,
    apiCalls: 0,
    exitCode: 1,
    message: `"token response" body "expires_in" must be a number${NO_TOKEN}`,
  },
  {
    name: 'expires_in absurd',
    scenario: { token: [status(200, { body: { access_token: 'x', expires_in: 1e12 } })] },
    tokenCalls: 1,
    apiCalls: 0,
    exitCode: 1,
    message: `"token response" body "expires_in" must be at most 315360000 seconds${NO_TOKEN}`,
  },
  {
    name: 'an invalid retry setting names the variable',
    env: [{ key: 'oauth_retry_attempts', value: 'many' }],
    tokenCalls: 0,
    apiCalls: 0,
    exitCode: 1,
    message: '"oauth_retry_attempts" must be a whole number from 1 to 10 (got "many"). Fix the variable or clear it to use the default (4).',
  },
];

describe('fault matrix (real newman, in-process MSW mock)', () => {
  it.each(CASES)('$name', async (c) => {
    if (c.scenario) mock.state.faults.set(c.scenario);
    const requests = c.requests ?? 1;
    const result = await runCollection({
      collection: collection(requests),
      envVar: [...SECRET_ENV, ...FAST, { key: 'token_url', value: TOKEN_URL }, ...(c.env ?? [])],
    });
    expect(result.error).toBeNull();
    expect(result.summary.run.stats.iterations.total).toBe(1);
    const stats = mock.state.stats();
    expect(stats.tokenCalls).toBe(c.tokenCalls);
    expect(stats.apiCalls).toBe(c.apiCalls);
    expect(result.exitCode).toBe(c.exitCode);
    if (c.message === undefined) {
      expect(result.failures).toEqual([]);
    } else {
      // A network error also fails newman's own request event ("TypeError: Network error").
      const ours = result.failures.filter((f) => f.startsWith('[postman-oauth-kit]'));
      expect(ours).toEqual(Array.from({ length: requests }, () => failure(c.message!)));
    }
    expect(JSON.stringify(result.console)).not.toContain('demo-client-secret');
  });
});

describe('socket-level faults (real loopback sockets, real newman)', () => {
  function socketEnv(url: string) {
    return [...SECRET_ENV, ...FAST, { key: 'token_url', value: url }];
  }

  it('ECONNRESET once, then a token', async () => {
    const raw = await startRawTokenServer(mock.state, 1, 'reset');
    mock.server.use(http.all(`${raw.url.replace(/\/oauth\/token$/, '')}/*`, () => passthrough()));
    try {
      const result = await runCollection({ collection: collection(1), envVar: socketEnv(raw.url) });
      expect(result.error).toBeNull();
      expect(raw.connections).toBe(2);
      expect(mock.state.stats().apiCalls).toBe(1);
      // The request got its token and passed; newman itself still records the failed
      // pm.sendRequest as a run failure (its summary tracks every errored request
      // event), so newman exits 1. See docs/resilience.md.
      expect(result.failures).toEqual([`Error: connect ECONNRESET ${raw.url.replace(/^http:\/\/([^/]+)\/.*$/, '$1')}`]);
      expect(result.summary.run.failures[0]?.at).toBe('request');
      expect(result.summary.run.stats.assertions).toMatchObject({ total: 1, failed: 0 });
      expect(result.exitCode).toBe(1);
      expect(result.console.some((l) => /^\[postman-oauth-kit\] the token endpoint failed \(ECONNRESET\); retry 1 of 3 in \d+ ms\.$/.test(l))).toBe(true);
    } finally {
      await raw.close();
    }
  });

  it('ESOCKETTIMEDOUT once (newman --timeout-request), then a token', async () => {
    const raw = await startRawTokenServer(mock.state, 1, 'hang');
    mock.server.use(http.all(`${raw.url.replace(/\/oauth\/token$/, '')}/*`, () => passthrough()));
    try {
      const result = await runCollection({ collection: collection(1), envVar: socketEnv(raw.url), timeoutRequest: 500 });
      expect(result.error).toBeNull();
      expect(raw.connections).toBe(2);
      expect(mock.state.stats().apiCalls).toBe(1);
      expect(result.failures).toEqual(['Error: ESOCKETTIMEDOUT']);
      expect(result.summary.run.stats.assertions).toMatchObject({ total: 1, failed: 0 });
      expect(result.exitCode).toBe(1);
      expect(result.console.some((l) => l.startsWith('[postman-oauth-kit] the token endpoint failed (ESOCKETTIMEDOUT); retry 1 of 3'))).toBe(true);
    } finally {
      await raw.close();
    }
  });

  it('ECONNREFUSED on every attempt fails after 4 attempts without sending the request', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/oauth/token`;
    mock.server.use(http.all(`${url.replace(/\/oauth\/token$/, '')}/*`, () => passthrough()));
    const result = await runCollection({ collection: collection(1), envVar: socketEnv(url) });
    expect(result.error).toBeNull();
    expect(result.exitCode).toBe(1);
    expect(mock.state.stats().apiCalls).toBe(0);
    expect(result.console.filter((l) => l.includes('failed (ECONNREFUSED); retry'))).toHaveLength(3);
    expect(result.failures.filter((f) => f.startsWith('[postman-oauth-kit]'))).toEqual([
      failure(`could not reach the token endpoint (ECONNREFUSED connect). Check "oauth_token_url" and that the server is up.${GAVE_UP}`),
    ]);
  });
});
