import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OAuthKitError } from '../../scripts-src/errors.ts';
import { expiryOf, isFresh, refreshMarginMs } from '../../scripts-src/expiry.ts';
import { MAX_EXPIRES_IN, processTokenResponse } from '../../scripts-src/token-response.ts';

const ok = (body: unknown, status = 200) => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

function failure(fn: () => unknown): OAuthKitError {
  try {
    fn();
  } catch (error) {
    if (error instanceof OAuthKitError) return error;
    throw new Error(`threw something other than OAuthKitError: ${String(error)}`);
  }
  throw new Error('did not throw');
}

const nonEmpty = fc.string({ minLength: 1 });
const validBody = fc.record(
  {
    access_token: nonEmpty,
    token_type: fc.constantFrom('bearer', 'Bearer', 'BEARER'),
    expires_in: fc.integer({ min: 1, max: MAX_EXPIRES_IN }),
    refresh_token: nonEmpty,
    scope: fc.string(),
  },
  { requiredKeys: ['access_token'] },
);

describe('processTokenResponse (property-based)', () => {
  it('accepts every well-formed RFC 6749 section 5.1 body and returns its values', () => {
    fc.assert(
      fc.property(validBody, fc.integer({ min: 200, max: 299 }), (body, status) => {
        const tokens = processTokenResponse(ok(body, status));
        expect(tokens.accessToken).toBe(body.access_token);
        expect(tokens.expiresIn).toBe(body.expires_in);
        expect(tokens.refreshToken).toBe(body.refresh_token);
        expect(tokens.scope).toBe(body.scope);
      }),
    );
  });

  it('rejects every expires_in that is not a positive number up to ten years, naming the field', () => {
    const badExpiresIn = fc.oneof(
      fc.integer({ max: 0 }),
      fc.double({ max: 0, noNaN: true }),
      fc.integer({ min: MAX_EXPIRES_IN + 1 }),
      fc.constantFrom(Infinity, -Infinity),
      fc.string(),
      fc.boolean(),
      fc.array(fc.integer()),
      fc.dictionary(fc.string(), fc.integer()),
    );
    fc.assert(
      fc.property(nonEmpty, badExpiresIn, (token, expiresIn) => {
        const body = `{"access_token":${JSON.stringify(token)},"expires_in":${expiresIn === Infinity ? '1e400' : expiresIn === -Infinity ? '-1e400' : JSON.stringify(expiresIn)}}`;
        const error = failure(() => processTokenResponse({ status: 200, headers: {}, body }));
        expect(error.code).toBe('TOKEN_RESPONSE_INVALID');
        expect(error.cause).toEqual({ field: 'expires_in' });
        expect(error.message.startsWith('"token response" body "expires_in" must be')).toBe(true);
      }),
    );
  });

  it('rejects every access_token that is not a non-empty string, naming the field', () => {
    const badToken = fc.oneof(fc.constant(''), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string()), fc.object());
    fc.assert(
      fc.property(badToken, fc.option(fc.integer({ min: 1, max: 1000 }), { nil: undefined }), (token, expiresIn) => {
        const error = failure(() => processTokenResponse(ok({ access_token: token, expires_in: expiresIn })));
        expect(error.code).toBe('TOKEN_RESPONSE_INVALID');
        expect(error.cause).toEqual({ field: 'access_token' });
      }),
    );
  });

  it('any body at all ends in a token set or an OAuthKitError, never another exception', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.jsonValue().map((v) => JSON.stringify(v))), fc.integer({ min: 100, max: 599 }), (body, status) => {
        try {
          const tokens = processTokenResponse({ status, headers: {}, body });
          expect(status >= 200 && status <= 299).toBe(true);
          expect(typeof tokens.accessToken).toBe('string');
        } catch (error) {
          expect(error).toBeInstanceOf(OAuthKitError);
        }
      }),
    );
  });

  it('an OAuth error body yields its error code and never quotes its other fields', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('invalid_client', 'invalid_grant', 'invalid_scope', 'unauthorized_client', 'server_error'),
        fc.integer({ min: 400, max: 599 }),
        fc.stringMatching(/^[A-Za-z0-9]{12,40}$/),
        (code, status, secret) => {
          const error = failure(() => processTokenResponse(ok({ error: code, client_secret: secret, access_token: secret }, status)));
          expect(error.code).toBe('TOKEN_ENDPOINT_ERROR');
          expect(error.message).toContain(`HTTP ${status} ${code}`);
          expect(error.message).not.toContain(secret);
        },
      ),
    );
  });
});

describe('expiry and refresh margin arithmetic (property-based)', () => {
  const time = fc.integer({ min: 0, max: 4_000_000_000_000 });
  const lifetimeSeconds = fc.integer({ min: 1, max: MAX_EXPIRES_IN });
  const margin = fc.integer({ min: 0, max: 100_000 });

  it('the margin is never more than the setting nor more than 10% of the lifetime, and never negative', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), margin, (lifetimeMs, marginSeconds) => {
        const m = refreshMarginMs(lifetimeMs, marginSeconds);
        expect(m).toBeGreaterThanOrEqual(0);
        expect(m).toBeLessThanOrEqual(marginSeconds * 1000);
        expect(m).toBeLessThanOrEqual(lifetimeMs * 0.1);
      }),
    );
  });

  it('a token is fresh when just obtained, never at or after expiry, and once stale stays stale', () => {
    fc.assert(
      fc.property(time, lifetimeSeconds, margin, fc.integer({ min: 0, max: 1e12 }), fc.integer({ min: 0, max: 1e12 }), (obtainedAt, life, m, d1, d2) => {
        const expiresAt = expiryOf(obtainedAt, life);
        expect(expiresAt - obtainedAt).toBe(life * 1000);
        expect(isFresh(obtainedAt, obtainedAt, expiresAt, m)).toBe(true);
        expect(isFresh(expiresAt, obtainedAt, expiresAt, m)).toBe(false);
        const early = obtainedAt + Math.min(d1, d2);
        const late = obtainedAt + Math.max(d1, d2);
        if (!isFresh(early, obtainedAt, expiresAt, m)) expect(isFresh(late, obtainedAt, expiresAt, m)).toBe(false);
      }),
    );
  });

  it('a token is replaced exactly when the margin before expiry begins', () => {
    fc.assert(
      fc.property(time, lifetimeSeconds, margin, (obtainedAt, life, m) => {
        const expiresAt = expiryOf(obtainedAt, life);
        const replaceAt = expiresAt - refreshMarginMs(expiresAt - obtainedAt, m);
        expect(isFresh(Math.ceil(replaceAt) - 1, obtainedAt, expiresAt, m)).toBe(true);
        expect(isFresh(Math.ceil(replaceAt), obtainedAt, expiresAt, m)).toBe(false);
      }),
    );
  });
});
