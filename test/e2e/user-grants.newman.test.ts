import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USER } from '../../build/mock/state.ts';
import { augmentedSample } from '../helpers/collections.ts';
import { runCollection, startInProcessMock } from '../helpers/newman.ts';
import {
  addUserClients,
  envValue,
  failureLine,
  login,
  printedUrl,
  readJsonFile,
  setLifetime,
  submitSignIn,
  tempDir,
  USER_CLIENTS,
  userGrantCollection,
  writeJson,
} from '../helpers/user-grants.ts';

const mock = startInProcessMock();
beforeAll(() => addUserClients(mock.state));
afterEach(() => {
  mock.state.reset();
  mock.server.resetHandlers();
  addUserClients(mock.state);
});
afterAll(() => mock.server.close());

type Env = { values: Array<{ key: string; value: unknown }> };

const TERMINAL =
  'From a terminal: postman-oauth-kit login <collection.json> -e <environment.json>, then newman run <collection.json> -e <environment.json>.';
const NO_SECURE_RANDOM =
  'This sandbox (newman) has no cryptographically secure random source for the sign-in "state" and PKCE verifier, and the script never falls back to Math.random, so it cannot start a sign-in here. ' +
  TERMINAL +
  ' Or send the request from the Postman app.';

/**
 * The paste flow: `login --manual` starts the sign-in (state, verifier) in an
 * environment file, the user signs in on the HTML form, and newman gets the
 * address the browser landed on as `oauth_callback_url`.
 */
async function startSignIn(grant: 'authorization_code' | 'pkce' | 'implicit', clientId: string, count: number) {
  const dir = tempDir();
  const collection = userGrantCollection(count, { grant });
  const collectionFile = writeJson(path.join(dir, 'collection.json'), collection);
  const envFile = path.join(dir, 'env.json');
  const out = await login([collectionFile, '-e', envFile, '--manual'], { POSTMAN_VAULT_OAUTH_CLIENT_ID: clientId }, dir);
  expect(out.stderr).toBe('');
  expect(out.code).toBe(0);
  return { collection, envFile, url: printedUrl(out.stdout) };
}

function vault(clientId: string, secret?: string) {
  return [
    { key: 'vault:oauth-client-id', value: clientId },
    ...(secret ? [{ key: 'vault:oauth-client-secret', value: secret }] : []),
  ];
}

function apiTokenIds(): string[] {
  return mock.state.log.filter((e) => e.kind === 'api').map((e) => e.tokenId ?? `status ${e.status}`);
}

describe('authorization_code (confidential client, refresh token)', () => {
  it('pasted redirect completes the sign-in; a lifetime shorter than the run refreshes silently, zero new sign-ins', async () => {
    const { code } = USER_CLIENTS;
    setLifetime(mock.state, code.id, 2);
    const { collection, envFile, url } = await startSignIn('authorization_code', code.id, 4);
    expect(url).toMatch(/^https:\/\/login\.mypurecloud\.ie\/oauth\/authorize\?response_type=code&client_id=code-client&redirect_uri=https%3A%2F%2Foauth\.pstmn\.io%2Fv1%2Fcallback&state=[A-Za-z0-9_-]{32}$/);
    const redirect = await submitSignIn(url);
    expect(redirect).toMatch(/^https:\/\/oauth\.pstmn\.io\/v1\/callback\?code=[^&]+&state=/);

    // Each request waits 2.3 s, longer than the 2 s lifetime: every request after the first refreshes.
    const result = await runCollection({
      collection,
      environment: envFile,
      envVar: [...vault(code.id, code.secret), { key: 'oauth_callback_url', value: redirect }],
      delayRequest: 2300,
    });
    expect(result.failures).toEqual([]);
    expect(mock.state.signIns).toBe(1);
    expect(mock.state.stats().tokenCallsByGrant).toEqual({ authorization_code: 1, refresh_token: 3 });
    // Every request went out with the token fetched just before it.
    expect(apiTokenIds()).toEqual(['t1', 't2', 't3', 't4']);
    // Static refresh token: one issued, kept, never revoked.
    expect([...mock.state.refreshTokens.values()].map((r) => [r.id, r.revoked])).toEqual([['r1', false]]);
    const env = result.summary.environment.toJSON() as Env;
    expect(envValue(env, 'oauth_callback_url')).toBe('');
    expect(envValue(env, 'oauth_pending_state')).toBe('');
    const secrets = [code.secret, ...mock.state.tokens.keys(), ...mock.state.refreshTokens.keys(), redirect.replace(/^.*code=([^&]+).*$/, '$1')];
    for (const secret of secrets) expect(JSON.stringify(result.console)).not.toContain(secret);
  });

  it('invalid_grant on refresh clears the stored tokens and says to sign in again', async () => {
    const { code } = USER_CLIENTS;
    setLifetime(mock.state, code.id, 2);
    const { collection, envFile, url } = await startSignIn('authorization_code', code.id, 1);
    const redirect = await submitSignIn(url);
    const first = await runCollection({
      collection,
      environment: envFile,
      envVar: [...vault(code.id, code.secret), { key: 'oauth_callback_url', value: redirect }],
    });
    expect(first.failures).toEqual([]);
    expect(mock.state.revokeRefreshTokens()).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 2300)); // let the 2 s token expire

    const second = await runCollection({
      collection,
      environment: first.summary.environment.toJSON(),
      envVar: vault(code.id, code.secret),
    });
    expect(second.sent).toEqual([]);
    expect(second.failures).toEqual([
      failureLine(
        'the server refused the refresh token: the token endpoint refused the request: HTTP 400 invalid_grant (refresh token is invalid, expired or revoked). The stored tokens were cleared, so you need to sign in again. ' +
          NO_SECURE_RANDOM,
      ),
    ]);
    const env = second.summary.environment.toJSON() as Env;
    expect(envValue(env, 'oauth_refresh_token')).toBe('');
    expect(envValue(env, 'oauth_access_token')).toBe('');
    expect(mock.state.stats().tokenCallsByGrant).toEqual({ authorization_code: 1, refresh_token: 1 });
  });

  it('a redirect whose state does not match is rejected before any token call', async () => {
    const { code } = USER_CLIENTS;
    const { collection, envFile, url } = await startSignIn('authorization_code', code.id, 2);
    const redirect = (await submitSignIn(url)).replace(/state=[^&]+/, 'state=forged-state');
    const result = await runCollection({
      collection,
      environment: envFile,
      envVar: [...vault(code.id, code.secret), { key: 'oauth_callback_url', value: redirect }],
    });
    expect(result.sent).toEqual([]);
    const pendingUrl = url; // the started sign-in stays valid and is offered again
    const message =
      'the "state" in "oauth_callback_url" does not match the sign-in this collection started, so the sign-in was rejected (an old or foreign sign-in; RFC 6749 section 10.12). ' +
      `To sign in, open ${pendingUrl} in a browser, sign in, then paste the whole address the browser is redirected to into the variable "oauth_callback_url" and send again. ` +
      TERMINAL;
    expect(result.failures[0]).toBe(failureLine(message));
    // The second request no longer sees the consumed paste: it asks for a sign-in.
    expect(result.failures[1]).toBe(
      failureLine(
        '"oauth_grant" is "authorization_code" and there is no access token yet, so you need to sign in. ' +
          `To sign in, open ${pendingUrl} in a browser, sign in, then paste the whole address the browser is redirected to into the variable "oauth_callback_url" and send again. ` +
          TERMINAL,
      ),
    );
    expect(mock.state.stats().tokenCalls).toBe(0);
  });

  it('a redirect without state is rejected', async () => {
    const { code } = USER_CLIENTS;
    const { collection, envFile, url } = await startSignIn('authorization_code', code.id, 1);
    const redirect = (await submitSignIn(url)).replace(/&state=[^&]+/, '');
    const result = await runCollection({
      collection,
      environment: envFile,
      envVar: [...vault(code.id, code.secret), { key: 'oauth_callback_url', value: redirect }],
    });
    expect(result.failures).toEqual([
      failureLine(
        '"oauth_callback_url" has no "state" parameter, so the sign-in was rejected (RFC 6749 section 10.12). ' +
          `To sign in, open ${url} in a browser, sign in, then paste the whole address the browser is redirected to into the variable "oauth_callback_url" and send again. ` +
          TERMINAL,
      ),
    ]);
    expect(mock.state.stats().tokenCalls).toBe(0);
  });

  it('a denied sign-in (error redirect) names the error and description', async () => {
    const { code } = USER_CLIENTS;
    const { collection, envFile, url } = await startSignIn('authorization_code', code.id, 1);
    const redirect = await submitSignIn(url, { action: 'deny' });
    expect(redirect).toMatch(/\?error=access_denied&error_description=The\+user\+denied\+access&state=/);
    const result = await runCollection({
      collection,
      environment: envFile,
      envVar: [...vault(code.id, code.secret), { key: 'oauth_callback_url', value: redirect }],
    });
    expect(result.failures).toEqual([
      failureLine('the sign-in failed: the authorization server redirected with error "access_denied" (The user denied access). ' + NO_SECURE_RANDOM),
    ]);
  });
});

describe('pkce (public client)', () => {
  it('Genesys (no refresh token): the sign-in works, and expiry asks for a new sign-in before the request is skipped', async () => {
    const { pkce } = USER_CLIENTS;
    setLifetime(mock.state, pkce.id, 2);
    const { collection, envFile, url } = await startSignIn('pkce', pkce.id, 2);
    expect(url).toMatch(/&code_challenge=[A-Za-z0-9_-]{43}&code_challenge_method=S256$/);
    const redirect = await submitSignIn(url);
    const result = await runCollection({
      collection,
      environment: envFile,
      envVar: [...vault(pkce.id), { key: 'oauth_callback_url', value: redirect }],
      delayRequest: 2300,
    });
    expect(apiTokenIds()).toEqual(['t1']);
    expect(result.failures).toEqual([
      failureLine(
        'the access token expired and the server issued no refresh token (Genesys Cloud issues none to PKCE clients), so you need to sign in again. ' +
          NO_SECURE_RANDOM,
      ),
    ]);
    expect(mock.state.stats().tokenCallsByGrant).toEqual({ authorization_code: 1 });
    expect(mock.state.signIns).toBe(1);
  });

  it('generic provider with rotating refresh tokens: each refresh stores the new refresh token', async () => {
    const client = USER_CLIENTS.pkceRotating;
    setLifetime(mock.state, client.id, 2);
    const { collection, envFile, url } = await startSignIn('pkce', client.id, 4);
    const result = await runCollection({
      collection,
      environment: envFile,
      envVar: [...vault(client.id), { key: 'oauth_callback_url', value: await submitSignIn(url) }],
      delayRequest: 2300,
    });
    expect(result.failures).toEqual([]);
    expect(apiTokenIds()).toEqual(['t1', 't2', 't3', 't4']);
    expect(mock.state.signIns).toBe(1);
    expect(mock.state.stats().tokenCallsByGrant).toEqual({ authorization_code: 1, refresh_token: 3 });
    // Rotation: r1 -> r2 -> r3 -> r4; a refresh with a retired token would have been invalid_grant.
    expect([...mock.state.refreshTokens.values()].map((r) => [r.id, r.revoked])).toEqual([
      ['r1', true],
      ['r2', true],
      ['r3', true],
      ['r4', false],
    ]);
    const env = result.summary.environment.toJSON() as Env;
    expect(envValue(env, 'oauth_refresh_token')).toBe([...mock.state.refreshTokens.keys()][3]);
  });

  it('a wrong code verifier is refused with invalid_grant', async () => {
    const { pkce } = USER_CLIENTS;
    const { collection, envFile, url } = await startSignIn('pkce', pkce.id, 1);
    const redirect = await submitSignIn(url);
    const env = readJsonFile<Env>(envFile);
    const entry = env.values.find((v) => v.key === 'oauth_pending_verifier');
    expect(entry?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    entry!.value = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'; // valid shape, not this sign-in's
    const result = await runCollection({
      collection,
      environment: env,
      envVar: [...vault(pkce.id), { key: 'oauth_callback_url', value: redirect }],
    });
    expect(result.sent).toEqual([]);
    expect(result.failures).toEqual([
      failureLine(
        'the token endpoint refused the request: HTTP 400 invalid_grant (code_verifier does not match the code_challenge). The authorization code was not accepted. ' +
          NO_SECURE_RANDOM,
      ),
    ]);
  });

  it('newman without a started sign-in refuses to make a verifier (no Math.random)', async () => {
    const { pkce } = USER_CLIENTS;
    const result = await runCollection({ collection: userGrantCollection(1, { grant: 'pkce' }), envVar: vault(pkce.id) });
    expect(result.failures).toEqual([
      failureLine('"oauth_grant" is "pkce" and there is no access token yet, so you need to sign in. ' + NO_SECURE_RANDOM),
    ]);
    expect(mock.state.log).toEqual([]);
  });
});

describe('implicit', () => {
  it('accepts the token from the #fragment, makes no token call, and fails with sign-in instructions on expiry', async () => {
    const { implicit } = USER_CLIENTS;
    setLifetime(mock.state, implicit.id, 4);
    const { collection, envFile, url } = await startSignIn('implicit', implicit.id, 1);
    expect(url).toMatch(/\?response_type=token&client_id=implicit-client&/);
    const redirect = await submitSignIn(url);
    expect(redirect).toMatch(/^https:\/\/oauth\.pstmn\.io\/v1\/callback#access_token=[^&]+&token_type=bearer&expires_in=4&state=/);
    const first = await runCollection({
      collection,
      environment: envFile,
      envVar: [...vault(implicit.id), { key: 'oauth_callback_url', value: redirect }],
    });
    expect(first.failures).toEqual([]);
    expect(apiTokenIds()).toEqual(['t1']);

    // The implicit token (4 s) has expired by the next run; there is no refresh.
    await new Promise((resolve) => setTimeout(resolve, 4500));
    const second = await runCollection({ collection, environment: first.summary.environment.toJSON(), envVar: vault(implicit.id) });
    expect(apiTokenIds()).toEqual(['t1']);
    expect(second.failures).toEqual([
      failureLine(
        'the access token from the implicit sign-in expired and the implicit grant has no refresh token, so you need to sign in again. ' + NO_SECURE_RANDOM,
      ),
    ]);
    expect(mock.state.stats().tokenCalls).toBe(0);
    const token = [...mock.state.tokens.keys()][0] as string;
    expect(JSON.stringify([first.console, second.console])).not.toContain(token);
  });

  it('a #fragment with a malformed expires_in is refused, naming the field', async () => {
    const { implicit } = USER_CLIENTS;
    const { collection, envFile, url } = await startSignIn('implicit', implicit.id, 1);
    const redirect = (await submitSignIn(url)).replace(/expires_in=\d+/, 'expires_in=soon');
    const result = await runCollection({
      collection,
      environment: envFile,
      envVar: [...vault(implicit.id), { key: 'oauth_callback_url', value: redirect }],
    });
    expect(result.failures).toEqual([
      failureLine('the sign-in #fragment "expires_in" must be a whole number of seconds from 1 to 315360000 (got "soon").'),
    ]);
    expect(mock.state.log.filter((e) => e.kind === 'api')).toEqual([]);
  });
});

describe('password', () => {
  it('gets a token with the vault password, refreshes before expiry, and falls back to the password on invalid_grant', async () => {
    const { password } = USER_CLIENTS;
    setLifetime(mock.state, password.id, 2);
    const envVar = [
      ...vault(password.id, password.secret),
      { key: 'vault:oauth-username', value: DEMO_USER.username },
      { key: 'vault:oauth-password', value: DEMO_USER.password },
    ];
    const collection = userGrantCollection(3, { grant: 'password', tokenStore: 'environment' });
    const result = await runCollection({ collection, envVar, delayRequest: 2300 });
    expect(result.failures).toEqual([]);
    expect(mock.state.stats().tokenCallsByGrant).toEqual({ password: 1, refresh_token: 2 });
    expect(JSON.stringify(result.console)).not.toContain(DEMO_USER.password);

    // Next run, same environment: the token has expired and the refresh token was revoked.
    expect(mock.state.revokeRefreshTokens()).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 2300));
    const again = await runCollection({
      collection: userGrantCollection(1, { grant: 'password', tokenStore: 'environment' }),
      environment: result.summary.environment.toJSON(),
      envVar,
    });
    expect(again.failures).toEqual([]);
    expect(apiTokenIds()).toEqual(['t1', 't2', 't3', 't4']);
    expect(mock.state.stats().tokenCallsByGrant).toEqual({ password: 2, refresh_token: 3 });
    expect(mock.state.log.filter((e) => e.kind === 'token').map((e) => e.error ?? e.grant)).toEqual([
      'password',
      'refresh_token',
      'refresh_token',
      'invalid_grant',
      'password',
    ]);
  });

  it('a wrong password fails with invalid_grant and is never printed', async () => {
    const { password } = USER_CLIENTS;
    const result = await runCollection({
      collection: userGrantCollection(1, { grant: 'password' }),
      envVar: [
        ...vault(password.id, password.secret),
        { key: 'vault:oauth-username', value: DEMO_USER.username },
        { key: 'vault:oauth-password', value: 'not-the-password' },
      ],
    });
    expect(result.failures).toEqual([
      failureLine(
        'the token endpoint refused the request: HTTP 400 invalid_grant (invalid username or password). Check "oauth_username" and the password behind "oauth_password" (Postman Vault; newman: --env-var "vault:oauth-password=<value>").',
      ),
    ]);
    expect(JSON.stringify(result.console)).not.toContain('not-the-password');
  });
});

describe('switching oauth_grant without rebuilding', () => {
  it('the client-credentials sample runs with the password grant when oauth_grant is overridden', async () => {
    const { password } = USER_CLIENTS;
    const result = await runCollection({
      collection: augmentedSample(),
      envVar: [
        { key: 'oauth_grant', value: 'password' },
        ...vault(password.id, password.secret),
        { key: 'vault:oauth-username', value: DEMO_USER.username },
        { key: 'vault:oauth-password', value: DEMO_USER.password },
      ],
    });
    expect(result.failures).toEqual([]);
    expect(mock.state.stats().tokenCallsByGrant).toEqual({ password: 1 });
  });
});
