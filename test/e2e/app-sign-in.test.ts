import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { failureLines, runInAppSandbox, sentItems } from '../app-sandbox/runtime.ts';
import { startInProcessMock } from '../helpers/newman.ts';
import { signInMessage, urlIn } from '../helpers/sign-in-messages.ts';
import { addUserClients, submitSignIn, USER_CLIENTS, userGrantCollection } from '../helpers/user-grants.ts';

/**
 * The Postman app flow with nothing but the imported collection, in the app's
 * engine (postman-runtime 7.56, sandbox 6.x with Web Crypto): the first Send
 * starts the sign-in and shows the URL; the user signs in and pastes the
 * address into oauth_callback_url; the next Send completes it.
 */
const mock = startInProcessMock();
beforeAll(() => addUserClients(mock.state));
afterEach(() => {
  mock.state.reset();
  addUserClients(mock.state);
});
afterAll(() => mock.server.close());

/** One Send of the whole collection in the app's engine, with these environment values. */
async function send(collection: unknown, environment: Record<string, string>) {
  const result = await runInAppSandbox(collection, { environment: Object.entries(environment).map(([key, value]) => ({ key, value })) });
  expect(result.runError).toBeNull();
  expect(result.scriptErrors).toEqual([]);
  return { failures: failureLines(result), sent: sentItems(result), console: result.console, environment: result.environment };
}

describe('signing in from the Postman app engine (Web Crypto)', () => {
  it('pkce: first Send shows the URL (verifier and state from Web Crypto), the pasted redirect completes the sign-in', async () => {
    const collection = userGrantCollection(2, { grant: 'pkce', tokenStore: 'environment' });
    const env = { 'vault:oauth-client-id': USER_CLIENTS.pkce.id };
    const first = await send(collection, env);
    expect(first.sent).toEqual([]);
    const url = urlIn(first.failures[0] ?? '');
    const why = '"oauth_grant" is "pkce" and there is no access token yet, so you need to sign in.';
    // Both requests show the same sign-in: a second Send does not invalidate the first URL.
    expect(first.failures).toEqual([signInMessage(why, url), signInMessage(why, url)]);
    expect(first.console.filter((l) => l.includes(url))).toHaveLength(2);

    const verifier = first.environment['oauth_pending_verifier'] ?? '';
    const state = first.environment['oauth_pending_state'] ?? '';
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(state).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(url).toBe(
      `https://login.mypurecloud.ie/oauth/authorize?response_type=code&client_id=pkce-client&redirect_uri=https%3A%2F%2Foauth.pstmn.io%2Fv1%2Fcallback&state=${state}` +
        `&code_challenge=${createHash('sha256').update(verifier).digest('base64url')}&code_challenge_method=S256`,
    );
    expect(JSON.stringify(first.console)).not.toContain(verifier);

    const redirect = await submitSignIn(url);
    const second = await send(collection, { ...first.environment, oauth_callback_url: redirect });
    expect(second.failures).toEqual([]);
    expect(second.sent).toEqual(['request 1', 'request 2']);
    expect(mock.state.log.filter((e) => e.kind === 'api').map((e) => e.tokenId)).toEqual(['t1', 't1']);
    expect(second.environment['oauth_callback_url']).toBe('');
    expect(second.environment['oauth_pending_state']).toBe('');
    expect(second.environment['oauth_pending_verifier']).toBe('');
    expect(second.environment['oauth_access_token']).toBe([...mock.state.tokens.keys()][0]);
  });

  it('every new sign-in gets a fresh state and verifier', async () => {
    const collection = userGrantCollection(1, { grant: 'pkce', tokenStore: 'environment' });
    const env = { 'vault:oauth-client-id': USER_CLIENTS.pkce.id };
    const a = await send(collection, env);
    const b = await send(collection, env);
    expect(a.environment['oauth_pending_state']).not.toBe(b.environment['oauth_pending_state']);
    expect(a.environment['oauth_pending_verifier']).not.toBe(b.environment['oauth_pending_verifier']);
  });

  it('implicit: the pasted #fragment gives the token', async () => {
    const collection = userGrantCollection(1, { grant: 'implicit', tokenStore: 'environment' });
    const env = { 'vault:oauth-client-id': USER_CLIENTS.implicit.id };
    const first = await send(collection, env);
    const url = urlIn(first.failures[0] ?? '');
    expect(url).toMatch(/\?response_type=token&client_id=implicit-client&redirect_uri=[^&]+&state=[A-Za-z0-9_-]{32}$/);
    const second = await send(collection, { ...first.environment, oauth_callback_url: await submitSignIn(url) });
    expect(second.failures).toEqual([]);
    expect(second.sent).toEqual(['request 1']);
    expect(mock.state.stats().tokenCalls).toBe(0);
  });
});
