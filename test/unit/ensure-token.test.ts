import { describe, expect, it } from 'vitest';
import { ensureToken } from '../../scripts-src/ensure-token.ts';
import { reportFailure } from '../../scripts-src/pre-request.ts';
import { OAuthKitError } from '../../scripts-src/errors.ts';
import { fakeSandbox, jsonResponse, type FakeSandbox } from '../helpers/fake-sandbox.ts';

const SETTINGS = {
  oauth_token_url: 'https://login.mypurecloud.ie/oauth/token',
  'vault:oauth-client-id': 'client-1',
  'vault:oauth-client-secret': 'secret-value-1',
};

function withTokens(sb: FakeSandbox, lifetime = 3600): FakeSandbox {
  let n = 0;
  sb.respond = () => jsonResponse(200, { access_token: `token-${++n}`, token_type: 'bearer', expires_in: lifetime });
  return sb;
}

describe('ensureToken', () => {
  it('fetches once, then reuses the cached token for every request', async () => {
    const sb = withTokens(fakeSandbox(SETTINGS));
    expect(await ensureToken(sb, { values: [] })).toBe('fetched');
    for (let i = 0; i < 10; i++) {
      sb.clock.now += 60_000;
      expect(await ensureToken(sb, { values: [] })).toBe('reused');
    }
    expect(sb.sent).toHaveLength(1);
    expect(sb.local.get('oauth_access_token')).toBe('token-1');
    expect(sb.stored.get('oauth_access_token')).toBe('token-1');
    expect(sb.stored.get('oauth_token_expires_at')).toBe(new Date(Date.UTC(2026, 11, 4, 13, 0, 0)).toISOString());
  });

  it('refreshes within the margin before expiry (60 s for a 1 h token)', async () => {
    const sb = withTokens(fakeSandbox(SETTINGS));
    await ensureToken(sb, { values: [] });
    sb.clock.now += 3_540_000 - 1;
    expect(await ensureToken(sb, { values: [] })).toBe('reused');
    sb.clock.now += 1;
    expect(await ensureToken(sb, { values: [] })).toBe('fetched');
    expect(sb.local.get('oauth_access_token')).toBe('token-2');
  });

  it('uses 10% of the lifetime as margin for short-lived tokens', async () => {
    const sb = withTokens(fakeSandbox(SETTINGS), 300);
    await ensureToken(sb, { values: [] });
    sb.clock.now += 269_999;
    expect(await ensureToken(sb, { values: [] })).toBe('reused');
    sb.clock.now += 1;
    expect(await ensureToken(sb, { values: [] })).toBe('fetched');
  });

  it.each([
    ['the client id', { 'vault:oauth-client-id': 'client-2' }],
    ['the token URL', { oauth_token_url: 'https://login.mypurecloud.de/oauth/token' }],
    ['the scope', { oauth_scope: 'users' }],
  ])('changing %s invalidates the cache', async (_name, change) => {
    const sb = withTokens(fakeSandbox(SETTINGS));
    await ensureToken(sb, { values: [] });
    for (const [k, v] of Object.entries(change)) sb.variables.set(k, v);
    expect(await ensureToken(sb, { values: [] })).toBe('fetched');
    expect(sb.sent).toHaveLength(2);
  });

  it('assumes oauth_default_expires_in when the response has no expires_in', async () => {
    const sb = fakeSandbox({ ...SETTINGS, oauth_default_expires_in: '120' });
    sb.respond = () => jsonResponse(200, { access_token: 'no-expiry' });
    await ensureToken(sb, { values: [] });
    expect(Date.parse(sb.stored.get('oauth_token_expires_at')!) - sb.clock.now).toBe(120_000);
  });

  it('leaves requests with their own auth alone', async () => {
    const sb = withTokens(fakeSandbox(SETTINGS));
    sb.requestAuth = () => ({ type: 'basic' });
    expect(await ensureToken(sb, { values: [] })).toBe('own-auth');
    sb.requestAuth = () => ({ type: 'noauth' });
    expect(await ensureToken(sb, { values: [] })).toBe('own-auth');
    sb.requestAuth = () => ({ type: 'bearer', token: '{{oauth_access_token}}' });
    expect(await ensureToken(sb, { values: [] })).toBe('fetched');
    expect(sb.sent).toHaveLength(1);
  });
});

describe('reportFailure', () => {
  it('fails a prefixed test, logs, skips the request and redacts secrets it saw', () => {
    const sb = fakeSandbox();
    const error = new OAuthKitError('TOKEN_ENDPOINT_ERROR', 'server said secret-value-1 is wrong');
    reportFailure(sb, error, { values: ['secret-value-1'] });
    expect(sb.failures).toEqual([
      {
        name: '[postman-oauth-kit] server said [redacted] is wrong',
        message: 'server said [redacted] is wrong The request was not sent.',
      },
    ]);
    expect(sb.logs).toEqual(['[postman-oauth-kit] server said [redacted] is wrong The request was not sent.']);
    expect(sb.skipped).toBe(1);
  });

  it('says so when the host cannot skip requests (newman before 6.1)', () => {
    const sb = fakeSandbox({}, { canSkip: false });
    reportFailure(sb, new Error('boom'), { values: [] });
    expect(sb.skipped).toBe(0);
    expect(sb.local.get('oauth_access_token')).toBe('');
    expect(sb.failures[0]?.message).toBe(
      'unexpected error: boom This newman cannot skip requests (needs newman 6.1 or later), so the request was sent without a token.',
    );
  });
});
