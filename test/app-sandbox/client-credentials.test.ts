import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { InjectOptions } from '../../build/inject.ts';
import { DEMO_USER, type MockState } from '../../build/mock/state.ts';
import { augmentedSample } from '../helpers/collections.ts';
import { startInProcessMock } from '../helpers/newman.ts';
import { collectionSchemaErrors } from '../helpers/schema.ts';
import { signInMessage, urlIn } from '../helpers/sign-in-messages.ts';
import { addUserClients, submitSignIn, USER_CLIENTS } from '../helpers/user-grants.ts';
import { failureLines, runInAppSandbox, RUNTIME_VERSION, SANDBOX_VERSION } from './runtime.ts';

const mock = startInProcessMock();
afterEach(() => {
  mock.state.reset();
  mock.server.resetHandlers();
});
afterAll(() => mock.server.close());

const TOOL = '[postman-oauth-kit]';

/**
 * One row per grant the app sandbox must run: how to build the collection, the
 * vault it needs, and the mock client. Redirect grants (`signIn`) start with the
 * paste flow: the first Send shows the sign-in URL, the user pastes the address
 * the browser landed on into the collection variable oauth_callback_url.
 */
interface GrantCase {
  grant: string;
  inject: InjectOptions;
  vault: Record<string, string>;
  setup?: (state: MockState) => void;
  /** Redirect grants: the token endpoint calls that completing the sign-in makes, by grant_type. */
  signIn?: { tokenCalls: Record<string, number> };
}
const GENESYS_IE = { provider: 'genesys', region: 'mypurecloud.ie' } as const;
const GRANTS: GrantCase[] = [
  {
    grant: 'client_credentials',
    inject: GENESYS_IE,
    vault: { 'oauth-client-id': 'demo-client-id', 'oauth-client-secret': 'demo-client-secret' },
  },
  {
    grant: 'authorization_code',
    inject: { ...GENESYS_IE, grant: 'authorization_code' },
    vault: { 'oauth-client-id': USER_CLIENTS.code.id, 'oauth-client-secret': USER_CLIENTS.code.secret },
    setup: (state) => addUserClients(state),
    signIn: { tokenCalls: { authorization_code: 1 } },
  },
  {
    grant: 'pkce',
    inject: { ...GENESYS_IE, grant: 'pkce' },
    vault: { 'oauth-client-id': USER_CLIENTS.pkce.id },
    setup: (state) => addUserClients(state),
    signIn: { tokenCalls: { authorization_code: 1 } },
  },
  {
    grant: 'implicit',
    inject: { ...GENESYS_IE, grant: 'implicit' },
    vault: { 'oauth-client-id': USER_CLIENTS.implicit.id },
    setup: (state) => addUserClients(state),
    // The token comes in the #fragment: no token endpoint call.
    signIn: { tokenCalls: {} },
  },
  {
    grant: 'password',
    inject: { ...GENESYS_IE, grant: 'password' },
    vault: {
      'oauth-client-id': USER_CLIENTS.password.id,
      'oauth-client-secret': USER_CLIENTS.password.secret,
      'oauth-username': DEMO_USER.username,
      'oauth-password': DEMO_USER.password,
    },
    setup: (state) => addUserClients(state),
  },
];

/** The augmented sample, checked against the collection v2.1 schema like every built collection. */
function built(inject?: InjectOptions): Record<string, unknown> {
  const collection = inject ? augmentedSample(inject) : augmentedSample();
  expect(collectionSchemaErrors(collection)).toEqual([]);
  return collection;
}

function apiRequests(result: Awaited<ReturnType<typeof runInAppSandbox>>) {
  return result.requests.filter((r) => !r.url.endsWith('/oauth/token'));
}

describe(`the app's engine: postman-runtime ${RUNTIME_VERSION} with postman-sandbox ${SANDBOX_VERSION}`, () => {
  it('is the newer sandbox (promise pm.sendRequest, Web Crypto, pm.vault), not newman\'s', async () => {
    expect(Number(SANDBOX_VERSION.split('.')[0])).toBeGreaterThanOrEqual(6);
    const probe = {
      info: { name: 'probe', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
      item: [{
        name: 'probe',
        event: [{ listen: 'prerequest', script: { exec: [
          "pm.test('pm.vault', async () => pm.expect(await pm.vault.get('probe')).to.equal('vault-value'));",
          "pm.test('crypto.subtle', () => pm.expect(typeof crypto.subtle.digest).to.equal('function'));",
          "pm.test('promise pm.sendRequest', async () => pm.expect((await pm.sendRequest('https://api.mypurecloud.ie/api/v2/tokens/me')).code).to.equal(401));",
        ] } }],
        request: { method: 'GET', url: 'https://api.mypurecloud.ie/api/v2/tokens/me' },
      }],
    };
    const result = await runInAppSandbox(probe, { vault: { probe: 'vault-value' } });
    expect(result.assertions.map((a) => [a.name, a.passed, a.error])).toEqual([
      ['pm.vault', true, undefined],
      ['crypto.subtle', true, undefined],
      ['promise pm.sendRequest', true, undefined],
    ]);
    expect(result.requests.map((r) => r.status)).toEqual([401, 401]);
  });
});

function apiTokenIds(): string[] {
  return mock.state.log.filter((e) => e.kind === 'api').map((e) => `${e.host} ${e.tokenId ?? e.status}`);
}

describe.each(GRANTS.filter((g) => !g.signIn))('$grant in the app sandbox, secrets from Postman Vault', ({ grant, inject, vault, setup }) => {
  it('2 iterations x 5 requests: every test passes with one token call, secrets read with pm.vault; the next Send reuses the token', async () => {
    setup?.(mock.state);
    const collection = built(inject);
    // No `vault:` variable anywhere: the only way to the secrets is pm.vault.
    const result = await runInAppSandbox(collection, { vault, iterationCount: 2 });
    expect(result.runError).toBeNull();
    expect(result.scriptErrors).toEqual([]);
    expect(result.assertions.filter((a) => !a.passed)).toEqual([]);
    expect(result.assertions).toHaveLength(12);
    expect(result.skipped).toEqual([]);
    expect(mock.state.stats()).toMatchObject({ tokenCalls: 1, tokensIssued: 1, apiCalls: 10, apiUnauthorized: 0 });
    expect(mock.state.stats().tokenCallsByGrant).toEqual({ [grant]: 1 });
    expect(apiTokenIds()).toEqual(Array(10).fill('api.mypurecloud.ie t1'));
    for (const line of result.console) for (const secret of Object.values(vault)) expect(line).not.toContain(secret);

    // A second Send: the app kept the collection variables, so the cached token is used.
    const again = await runInAppSandbox(collection, { vault, collectionVariables: result.collectionVariables });
    expect(failureLines(again)).toEqual([]);
    expect(again.assertions).toHaveLength(6);
    expect(mock.state.stats()).toMatchObject({ tokenCalls: 1, apiCalls: 15 });
    expect(apiTokenIds()).toEqual(Array(15).fill('api.mypurecloud.ie t1'));
  });
});

describe.each(GRANTS.filter((g) => g.signIn))('$grant in the app sandbox: sign-in by paste, then a Send with the cached token', ({ grant, inject, vault, setup, signIn }) => {
  it('the first Send shows the sign-in URL on every request and sends nothing; the pasted redirect completes it; the next Send reuses the token', async () => {
    setup?.(mock.state);
    const collection = built(inject);
    const first = await runInAppSandbox(collection, { vault });
    expect(first.runError).toBeNull();
    expect(first.scriptErrors).toEqual([]);
    expect(first.requests).toEqual([]);
    expect(first.skipped).toHaveLength(5);
    const url = urlIn(failureLines(first)[0] ?? '');
    const why = `"oauth_grant" is "${grant}" and there is no access token yet, so you need to sign in.`;
    expect(failureLines(first)).toEqual(Array(5).fill(signInMessage(why, url)));
    // The sign-in in progress lives in the collection variables (default token store), made with Web Crypto.
    const state = first.collectionVariables['oauth_pending_state'] ?? '';
    expect(state).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const responseType = grant === 'implicit' ? 'token' : 'code';
    expect(url).toMatch(
      new RegExp(
        `^https://login\\.mypurecloud\\.ie/oauth/authorize\\?response_type=${responseType}&client_id=${vault['oauth-client-id']}&redirect_uri=https%3A%2F%2Foauth\\.pstmn\\.io%2Fv1%2Fcallback&state=${state}` +
          (grant === 'pkce' ? '&code_challenge=[A-Za-z0-9_-]{43}&code_challenge_method=S256$' : '$'),
      ),
    );
    expect(mock.state.log).toEqual([]);

    const redirect = await submitSignIn(url);
    const second = await runInAppSandbox(collection, { vault, collectionVariables: { ...first.collectionVariables, oauth_callback_url: redirect } });
    expect(second.runError).toBeNull();
    expect(second.scriptErrors).toEqual([]);
    expect(failureLines(second)).toEqual([]);
    expect(second.assertions).toHaveLength(6);
    expect(second.skipped).toEqual([]);
    expect(mock.state.signIns).toBe(1);
    expect(mock.state.stats().tokenCallsByGrant).toEqual(signIn?.tokenCalls);
    expect(apiTokenIds()).toEqual(Array(5).fill('api.mypurecloud.ie t1'));
    // The paste and the sign-in in progress are used up.
    expect(second.collectionVariables['oauth_callback_url']).toBe('');
    expect(second.collectionVariables['oauth_pending_state']).toBe('');
    expect(second.collectionVariables['oauth_pending_verifier'] ?? '').toBe('');

    // Another Send: the app kept the collection variables; the cached token is used, no new sign-in or token call.
    const third = await runInAppSandbox(collection, { vault, collectionVariables: second.collectionVariables });
    expect(failureLines(third)).toEqual([]);
    expect(third.assertions).toHaveLength(6);
    expect(mock.state.signIns).toBe(1);
    expect(mock.state.stats().tokenCallsByGrant).toEqual(signIn?.tokenCalls);
    expect(apiTokenIds()).toEqual(Array(10).fill('api.mypurecloud.ie t1'));

    const code = /[?&]code=([^&]+)/.exec(redirect)?.[1];
    const secrets = [...Object.values(vault).filter((v) => v !== vault['oauth-client-id']), ...mock.state.tokens.keys(), ...mock.state.refreshTokens.keys(), ...(code ? [code] : [])];
    expect(secrets.length).toBeGreaterThan(0);
    for (const result of [first, second, third]) for (const secret of secrets) expect(JSON.stringify(result.console)).not.toContain(secret);
  });
});

describe('vault problems in the app sandbox fail loudly and send nothing', () => {
  it('vault access not granted to the collection: the exact "Vault access denied" guidance, no request sent', async () => {
    const result = await runInAppSandbox(built(), {
      vault: { 'oauth-client-id': 'demo-client-id', 'oauth-client-secret': 'demo-client-secret' },
      vaultAccess: false,
    });
    const message =
      'Postman Vault denied this script access to "oauth-client-id" (Vault access denied). In Postman open Vault, select Settings, turn on "Enable support in scripts" and allow this collection access, then send the request again.';
    expect(result.assertions.map((a) => [a.name, a.passed, a.error])).toEqual(
      Array(5).fill([`${TOOL} ${message}`, false, `${message} The request was not sent.`]),
    );
    expect(result.requests).toEqual([]);
    expect(result.skipped).toHaveLength(5);
    expect(mock.state.log).toEqual([]);
  });

  it('a secret missing from the vault: names the key and where to add it, no request sent', async () => {
    const result = await runInAppSandbox(built(), { vault: { 'oauth-client-id': 'demo-client-id' } });
    const message =
      'no value for the vault secret "oauth-client-secret" (used by "oauth_client_secret"). In the Postman app add a secret named "oauth-client-secret" to Postman Vault. With newman pass --env-var "vault:oauth-client-secret=<value>" (or define a variable named "vault:oauth-client-secret" in an environment).';
    expect(result.assertions[0]).toEqual({ item: 'Get token info', name: `${TOOL} ${message}`, passed: false, error: `${message} The request was not sent.` });
    expect(result.assertions.every((a) => !a.passed)).toBe(true);
    expect(result.requests).toEqual([]);
    expect(mock.state.log).toEqual([]);
  });

  it('password grant, a wrong password in the vault: the exact refusal, the password never shown, no API request', async () => {
    addUserClients(mock.state);
    const result = await runInAppSandbox(built({ ...GENESYS_IE, grant: 'password' }), {
      vault: {
        'oauth-client-id': USER_CLIENTS.password.id,
        'oauth-client-secret': USER_CLIENTS.password.secret,
        'oauth-username': DEMO_USER.username,
        'oauth-password': 'not-the-password',
      },
    });
    expect(apiRequests(result)).toEqual([]);
    const message =
      'the token endpoint refused the request: HTTP 400 invalid_grant (invalid username or password). Check "oauth_username" and the password behind "oauth_password" (Postman Vault; newman: --env-var "vault:oauth-password=<value>").';
    expect(result.assertions[0]).toEqual({ item: 'Get token info', name: `${TOOL} ${message}`, passed: false, error: `${message} The request was not sent.` });
    expect(mock.state.stats().tokenCallsByGrant).toEqual({ password: 1 });
    expect(JSON.stringify(result)).not.toContain('not-the-password');
  });

  it('a wrong secret: the token endpoint refusal is reported and no API request is sent', async () => {
    const result = await runInAppSandbox(built(), {
      vault: { 'oauth-client-id': 'demo-client-id', 'oauth-client-secret': 'not-the-secret' },
    });
    expect(apiRequests(result)).toEqual([]);
    expect(mock.state.stats()).toMatchObject({ apiCalls: 0, tokensIssued: 0 });
    expect(result.assertions[0]?.name).toBe(
      `${TOOL} the token endpoint refused the request: HTTP 401 invalid_client (authentication failed). Check the client id and client secret, and "oauth_client_auth" (basic or post).`,
    );
    expect(JSON.stringify(result)).not.toContain('not-the-secret');
  });
});
