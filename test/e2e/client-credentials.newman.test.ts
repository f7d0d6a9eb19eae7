import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { augmentedSample, SECRET_ENV } from '../helpers/collections.ts';
import { runCollection, startInProcessMock } from '../helpers/newman.ts';

const mock = startInProcessMock();
afterEach(() => {
  mock.state.reset();
  mock.server.resetHandlers();
});
afterAll(() => mock.server.close());

describe('client credentials in newman (in-process MSW mock, real hostnames)', () => {
  it('3 iterations x 5 requests make exactly one token call', async () => {
    const result = await runCollection({ collection: augmentedSample(), iterationCount: 3, envVar: SECRET_ENV });
    expect(result.error).toBeNull();
    expect(result.failures).toEqual([]);
    const stats = mock.state.stats();
    expect(stats.tokenCalls).toBe(1);
    expect(stats.apiCalls).toBe(15);
    expect(mock.state.log.filter((e) => e.kind === 'api').every((e) => e.status === 200 && e.tokenId === 't1')).toBe(true);
    expect(mock.state.log[0]?.host).toBe('login.mypurecloud.ie');
    expect(mock.state.log[1]?.host).toBe('api.mypurecloud.ie');
  });

  it('a wrong secret fails the run, sends no API request and names invalid_client', async () => {
    const result = await runCollection({
      collection: augmentedSample(),
      envVar: [SECRET_ENV[0]!, { key: 'vault:oauth-client-secret', value: 'wrong-secret-value' }],
    });
    expect(result.error).toBeNull();
    expect(result.exitCode).toBe(1);
    expect(mock.state.stats().apiCalls).toBe(0);
    expect(result.sent).toEqual([]);
    expect(result.failures).toHaveLength(5);
    expect(result.failures[0]).toBe(
      '[postman-oauth-kit] the token endpoint refused the request: HTTP 401 invalid_client (authentication failed). Check the client id and client secret, and "oauth_client_auth" (basic or post).: ' +
        'the token endpoint refused the request: HTTP 401 invalid_client (authentication failed). Check the client id and client secret, and "oauth_client_auth" (basic or post). The request was not sent.',
    );
    expect(JSON.stringify(result.console)).not.toContain('wrong-secret-value');
  });
});

describe('refresh before expiry (newman, in-process mock)', () => {
  it('a 2 s token lifetime over a paced run gives one token call per usable lifetime', async () => {
    // Usable lifetime: 2 s minus a 0.2 s margin (10% of the lifetime) = 1.8 s.
    // Requests 1 s apart: request k runs at >= k s, so requests 0, 2, 4 (at >= 0, 2, 4 s)
    // find the previous token past 1.8 s and fetch; requests 1, 3, 5 reuse it while
    // they run less than 0.8 s late. Delays only add, so a slow machine cannot
    // make a refresh happen too early.
    mock.state.clients.get('demo-client-id')!.tokenLifetimeSeconds = 2;
    const { requestsCollection } = await import('../helpers/collections.ts');
    const { injectIntoCollection } = await import('../../build/inject.ts');
    const { builtBundle } = await import('../helpers/collections.ts');
    const collection = requestsCollection(6);
    injectIntoCollection(collection, builtBundle(), { provider: 'genesys', region: 'mypurecloud.ie' }, 'six');
    const result = await runCollection({ collection, envVar: SECRET_ENV, delayRequest: 1000 });
    mock.state.clients.get('demo-client-id')!.tokenLifetimeSeconds = 86399;
    expect(result.failures).toEqual([]);
    const api = mock.state.log.filter((e) => e.kind === 'api');
    expect(api.map((e) => e.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(mock.state.stats().tokenCalls).toBe(3);
    expect(api.map((e) => e.tokenId)).toEqual(['t1', 't1', 't2', 't2', 't3', 't3']);
  });
});
