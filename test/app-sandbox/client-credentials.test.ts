import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { InjectOptions } from '../../build/inject.ts';
import type { MockState } from '../../build/mock/state.ts';
import { augmentedSample } from '../helpers/collections.ts';
import { startInProcessMock } from '../helpers/newman.ts';
import { collectionSchemaErrors } from '../helpers/schema.ts';
import { runInAppSandbox, RUNTIME_VERSION, SANDBOX_VERSION } from './runtime.ts';

const mock = startInProcessMock();
afterEach(() => {
  mock.state.reset();
  mock.server.resetHandlers();
});
afterAll(() => mock.server.close());

const TOOL = '[postman-oauth-kit]';

/**
 * One row per grant the app sandbox must run: how to build the collection, the
 * vault it needs, and the mock client. User grants add rows here.
 */
interface GrantCase {
  grant: string;
  inject: InjectOptions;
  vault: Record<string, string>;
  setup?: (state: MockState) => void;
}
const GRANTS: GrantCase[] = [
  {
    grant: 'client_credentials',
    inject: { provider: 'genesys', region: 'mypurecloud.ie' },
    vault: { 'oauth-client-id': 'demo-client-id', 'oauth-client-secret': 'demo-client-secret' },
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

describe.each(GRANTS)('$grant in the app sandbox, secrets from Postman Vault', ({ inject, vault, setup }) => {
  it('2 iterations x 5 requests: every test passes with one token call, secrets read with pm.vault', async () => {
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
    expect(mock.state.log.filter((e) => e.kind === 'api').every((e) => e.tokenId === 't1' && e.host === 'api.mypurecloud.ie')).toBe(true);
    for (const line of result.console) for (const secret of Object.values(vault)) expect(line).not.toContain(secret);
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
