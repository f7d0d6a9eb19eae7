import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OAuthKitError } from '../../scripts-src/errors.ts';
import type { TokenHttpRequest, TokenHttpResponse } from '../../scripts-src/http.ts';
import {
  backoffDelayMs,
  decideRetry,
  DEFAULT_RETRY_POLICY,
  isRetryableStatus,
  parseRetryAfterMs,
  type RetryPolicy,
} from '../../scripts-src/retry.ts';
import type { Sandbox } from '../../scripts-src/sandbox.ts';
import { callTokenEndpoint, secretsOfRequest } from '../../scripts-src/token-endpoint.ts';
import { basicAuthorization } from '../../scripts-src/grants/client-credentials.ts';

const policy = fc.record({
  attempts: fc.integer({ min: 1, max: 10 }),
  baseDelayMs: fc.integer({ min: 0, max: 10_000 }),
  maxDelayMs: fc.integer({ min: 0, max: 60_000 }),
  retryAfterCapMs: fc.integer({ min: 0, max: 120_000 }),
});
const unit = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

describe('retry policy (property-based)', () => {
  it('backoff waits between half and all of min(max delay, base * 2^(n-1))', () => {
    fc.assert(
      fc.property(policy, fc.integer({ min: 1, max: 50 }), unit, (p, n, r) => {
        const ceiling = Math.min(p.maxDelayMs, p.baseDelayMs * 2 ** (n - 1));
        const d = backoffDelayMs(n, p, () => r);
        expect(d).toBeGreaterThanOrEqual(Math.floor(ceiling / 2));
        expect(d).toBeLessThanOrEqual(Math.ceil(ceiling));
        expect(d).toBeLessThanOrEqual(p.maxDelayMs);
      }),
    );
  });

  it('never retries a 4xx other than 429, nor 501, nor past the attempt limit', () => {
    fc.assert(
      fc.property(policy, fc.integer({ min: 100, max: 599 }), fc.integer({ min: 1, max: 12 }), unit, (p, status, attempt, r) => {
        const d = decideRetry({ status }, attempt, p, 0, () => r);
        if (d.action === 'retry') {
          expect(attempt).toBeLessThan(p.attempts);
          expect(status === 429 || (status >= 500 && status !== 501)).toBe(true);
        }
        if (status < 500 && status !== 429) expect(d.action).toBe('give-up');
      }),
    );
  });

  it('429 waits exactly what Retry-After asks up to the cap, and refuses longer waits at once', () => {
    fc.assert(
      fc.property(policy, fc.integer({ min: 0, max: 200 }), (p, seconds) => {
        const d = decideRetry({ status: 429, retryAfter: String(seconds) }, 1, p, 0, Math.random);
        if (seconds * 1000 > p.retryAfterCapMs) expect(d).toEqual({ action: 'too-long', askedMs: seconds * 1000 });
        else if (p.attempts > 1) expect(d).toEqual({ action: 'retry', delayMs: seconds * 1000, reason: 'HTTP 429' });
        else expect(d.action).toBe('give-up');
      }),
    );
  });

  it('Retry-After as an HTTP-date counts from now; past dates mean no wait; junk is ignored', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1_000_000_000, max: 4_000_000_000 }), fc.integer({ min: -100_000, max: 100_000 }), (nowSeconds, offset) => {
        const now = nowSeconds * 1000;
        const date = new Date(now + offset * 1000).toUTCString();
        expect(parseRetryAfterMs(date, now)).toBe(Math.max(0, offset * 1000));
      }),
    );
    expect(parseRetryAfterMs('soon', 0)).toBeUndefined();
    expect(parseRetryAfterMs('-5', 0)).toBeUndefined();
    expect(parseRetryAfterMs('', 0)).toBeUndefined();
    expect(parseRetryAfterMs(' 7 ', 0)).toBe(7000);
  });

  it('retries the listed network errors and not others', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ESOCKETTIMEDOUT', 'ETIMEDOUT']) {
      expect(decideRetry({ networkCode: code }, 1, DEFAULT_RETRY_POLICY, 0, () => 0).action).toBe('retry');
    }
    for (const code of ['ENOTFOUND', 'CERT_HAS_EXPIRED', 'NETWORK_ERROR']) {
      expect(decideRetry({ networkCode: code }, 1, DEFAULT_RETRY_POLICY, 0, () => 0).action).toBe('give-up');
    }
    expect(isRetryableStatus(501)).toBe(false);
    expect(isRetryableStatus(599)).toBe(true);
  });
});

/** A scripted sandbox: answers from `responses` in order and records every wait. */
function fakeSandbox(responses: Array<TokenHttpResponse | { networkCode: string }>, vars: Record<string, string> = {}) {
  const waits: number[] = [];
  const logs: string[] = [];
  const locals: Record<string, string> = {};
  let sent = 0;
  let now = 1_000_000;
  const sandbox: Sandbox = {
    getVariable: (name) => locals[name] ?? vars[name],
    replaceIn: (t) => t,
    setLocal: (name, value) => {
      locals[name] = value;
    },
    store: { get: () => undefined, set: () => undefined, unset: () => undefined },
    vault: undefined,
    send: async () => {
      const next = responses[sent++];
      if (!next) throw new Error('no more scripted responses');
      if ('networkCode' in next) throw new OAuthKitError('TOKEN_REQUEST_FAILED', `could not reach the token endpoint (${next.networkCode}).`, { networkCode: next.networkCode });
      return next;
    },
    now: () => now,
    requestAuth: () => undefined,
    fail: () => undefined,
    canSkipRequest: () => true,
    skipRequest: () => undefined,
    log: (m) => logs.push(m),
    wait: async (ms) => {
      waits.push(ms);
      now += ms;
    },
    random: () => 0.5,
  };
  return { sandbox, waits, logs, sent: () => sent, advance: (ms: number) => (now += ms) };
}

const REQUEST: TokenHttpRequest = {
  method: 'POST',
  url: 'https://login.example.com/oauth/token',
  headers: { Authorization: basicAuthorization('my-client', 'S3cret+value/=x'), 'Content-Type': 'application/x-www-form-urlencoded' },
  body: 'grant_type=authorization_code&code=AUTHCODE123&code_verifier=verifier-abcdefghijklmnopqrstuvwxyz0123456789',
};
const json = (status: number, body: unknown, headers: Record<string, string> = {}): TokenHttpResponse => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});
const FAST: RetryPolicy = { attempts: 4, baseDelayMs: 100, maxDelayMs: 1000, retryAfterCapMs: 5000 };

describe('callTokenEndpoint', () => {
  it('finds the secrets of a request: Basic secret, code, verifier', () => {
    expect(secretsOfRequest(REQUEST)).toEqual(
      expect.arrayContaining(['S3cret+value/=x', 'AUTHCODE123', 'verifier-abcdefghijklmnopqrstuvwxyz0123456789']),
    );
    expect(secretsOfRequest(REQUEST)).not.toContain('my-client');
  });

  it('backs off 75/150/300 ms (jitter 0.5 between half and all of 100, 200, 400) through three 503s, then returns the token', async () => {
    const f = fakeSandbox([json(503, {}), json(503, {}), json(503, {}), json(200, { access_token: 'tok', expires_in: 60 })]);
    const tokens = await callTokenEndpoint(f.sandbox, REQUEST, FAST);
    expect(tokens.accessToken).toBe('tok');
    expect(f.waits).toEqual([75, 150, 300]);
    expect(f.logs).toEqual([
      '[postman-oauth-kit] the token endpoint failed (HTTP 503); retry 1 of 3 in 75 ms.',
      '[postman-oauth-kit] the token endpoint failed (HTTP 503); retry 2 of 3 in 150 ms.',
      '[postman-oauth-kit] the token endpoint failed (HTTP 503); retry 3 of 3 in 300 ms.',
    ]);
  });

  it('redacts secrets a server echoes in error_description, before anyone sees them', async () => {
    const f = fakeSandbox([
      json(400, { error: 'invalid_grant', error_description: 'code AUTHCODE123 with verifier verifier-abcdefghijklmnopqrstuvwxyz0123456789 and secret S3cret+value/=x (S3cret%2Bvalue%2F%3Dx)' }),
    ]);
    const error = await callTokenEndpoint(f.sandbox, REQUEST, FAST).catch((e: unknown) => e as OAuthKitError);
    expect(error).toBeInstanceOf(OAuthKitError);
    expect((error as OAuthKitError).message).toBe(
      'the token endpoint refused the request: HTTP 400 invalid_grant (code [redacted] with verifier [redacted] and secret [redacted] ([redacted])).',
    );
    expect(JSON.stringify((error as OAuthKitError).cause)).not.toMatch(/AUTHCODE123|S3cret|verifier-abc/);
    expect(f.waits).toEqual([]);
  });

  it('remembers a permanent refusal for the run: the second call fails without sending', async () => {
    const f = fakeSandbox([json(401, { error: 'invalid_client', error_description: 'authentication failed' })]);
    const first = await callTokenEndpoint(f.sandbox, REQUEST, FAST).catch((e: OAuthKitError) => e);
    const second = await callTokenEndpoint(f.sandbox, REQUEST, FAST).catch((e: OAuthKitError) => e);
    expect(f.sent()).toBe(1);
    expect((second as OAuthKitError).message).toBe((first as OAuthKitError).message);
    expect((second as OAuthKitError).code).toBe('TOKEN_ENDPOINT_ERROR');
  });

  it('after giving up on a 5xx the endpoint rests for oauth_retry_after_cap, then is tried again', async () => {
    const f = fakeSandbox([json(503, {}), json(200, { access_token: 'tok' })]);
    const policy = { ...FAST, attempts: 1 };
    const first = (await callTokenEndpoint(f.sandbox, REQUEST, policy).catch((e: unknown) => e)) as OAuthKitError;
    f.advance(FAST.retryAfterCapMs - 1);
    const resting = (await callTokenEndpoint(f.sandbox, REQUEST, policy).catch((e: unknown) => e)) as OAuthKitError;
    expect(resting.message).toBe(first.message);
    expect(f.sent()).toBe(1);
    f.advance(1);
    const tokens = await callTokenEndpoint(f.sandbox, REQUEST, policy);
    expect(tokens.accessToken).toBe('tok');
    expect(f.sent()).toBe(2);
  });

  it('a 429 asking more than the cap fails at once with the wait it asked for', async () => {
    const f = fakeSandbox([json(429, {}, { 'retry-after': '3600' })]);
    const error = (await callTokenEndpoint(f.sandbox, REQUEST, FAST).catch((e: unknown) => e)) as OAuthKitError;
    expect(error.message).toBe(
      'the token endpoint answered HTTP 429 (too many requests) and asked to wait 3600 s (Retry-After), longer than "oauth_retry_after_cap" (5 s). Try again later, or raise "oauth_retry_after_cap".',
    );
    expect(f.sent()).toBe(1);
  });

  it('network errors exhaust the attempts and say so', async () => {
    const f = fakeSandbox([{ networkCode: 'ECONNRESET' }, { networkCode: 'ECONNRESET' }, { networkCode: 'ECONNRESET' }, { networkCode: 'ECONNRESET' }]);
    const error = (await callTokenEndpoint(f.sandbox, REQUEST, FAST).catch((e: unknown) => e)) as OAuthKitError;
    expect(error.message).toBe('could not reach the token endpoint (ECONNRESET). Gave up after 4 attempts ("oauth_retry_attempts").');
    expect(f.waits).toHaveLength(3);
  });
});
