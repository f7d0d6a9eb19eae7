import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { injectIntoCollection } from '../../build/inject.ts';
import { builtBundle, requestsCollection, SECRET_ENV } from '../helpers/collections.ts';
import { runCollection, startInProcessMock } from '../helpers/newman.ts';

const mock = startInProcessMock();
afterEach(() => {
  mock.state.reset();
  mock.server.resetHandlers();
});
afterAll(() => mock.server.close());

function collection(count: number) {
  const c = requestsCollection(count);
  injectIntoCollection(c, builtBundle(), { tokenUrl: 'https://login.mypurecloud.ie/oauth/token' }, 'requests.json');
  return c;
}

describe('401 recovery: the mock revokes the token after request 10 of 50', () => {
  it('re-runs the one request that got 401 with a new token; the other 49 succeed', async () => {
    mock.state.faults.set({ revokeAfterApiCalls: 10 });
    const result = await runCollection({ collection: collection(50), envVar: SECRET_ENV });
    expect(result.error).toBeNull();

    const api = mock.state.log.filter((e) => e.kind === 'api');
    // 50 requests + 1 re-run of request 11.
    expect(api).toHaveLength(51);
    expect(api.slice(0, 10).every((e) => e.status === 200 && e.tokenId === 't1')).toBe(true);
    expect(api[10]).toMatchObject({ status: 401, error: 'bad.credentials (revoked)' });
    expect(api.slice(11).every((e) => e.status === 200 && e.tokenId === 't2')).toBe(true);
    expect(mock.state.stats().tokenCalls).toBe(2);

    // What the user's own tests see: request 11's first answer (401) fails its
    // "status is 200" test; its re-run passes. Exactly one failed assertion.
    expect(result.failures).toEqual(['status is 200: expected response to have status code 200 but got 401']);
    expect(result.summary.run.failures.map((f) => f.source?.name)).toEqual(['request 11']);
    expect(result.summary.run.stats.assertions).toMatchObject({ total: 51, failed: 1 });
    expect(result.console).toContain(
      '[postman-oauth-kit] "request 11" was answered HTTP 401 with the cached token (revoked or expired early); dropped it and re-running the request once with a new token.',
    );
  });

  it('user tests that skip on oauth_rerun_scheduled make the revoked run fully green', async () => {
    mock.state.faults.set({ revokeAfterApiCalls: 10 });
    const c = collection(50) as { item: Array<{ event: Array<{ script: { exec: string[] } }> }> };
    for (const item of c.item) {
      item.event[0]!.script.exec = [
        "if (pm.variables.get('oauth_rerun_scheduled') !== 'true') {",
        "  pm.test('status is 200', () => pm.response.to.have.status(200));",
        '}',
      ];
    }
    const result = await runCollection({ collection: c, envVar: SECRET_ENV });
    expect(result.error).toBeNull();
    expect(result.failures).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.summary.run.stats.assertions).toMatchObject({ total: 50, failed: 0 });
    expect(mock.state.stats()).toMatchObject({ tokenCalls: 2, apiCalls: 51, apiUnauthorized: 1 });
  });

  it('a request still answered 401 after the re-run is not re-run again (no loop)', async () => {
    // Every token is revoked before each of the first 3 API calls answer.
    mock.state.faults.set({ api: [{ type: 'revoke', times: 3 }] });
    const result = await runCollection({ collection: collection(3), envVar: SECRET_ENV });
    expect(result.error).toBeNull();
    const api = mock.state.log.filter((e) => e.kind === 'api');
    // request 1 (401), its re-run (401, given up), request 2 (401), re-run (200), request 3 (200).
    expect(api.map((e) => e.status)).toEqual([401, 401, 401, 200, 200]);
    expect(result.console).toContain(
      '[postman-oauth-kit] "request 1" was answered HTTP 401 again after re-running it with a new token; not re-running it again. Check that the OAuth client may call this API (roles, scopes, organization).',
    );
    expect(result.failures).toHaveLength(3);
  });

  it('with oauth_retry_on_401=false the token is dropped but the request is not re-run', async () => {
    mock.state.faults.set({ revokeAfterApiCalls: 2 });
    const result = await runCollection({
      collection: collection(4),
      envVar: [...SECRET_ENV, { key: 'oauth_retry_on_401', value: 'false' }],
    });
    expect(result.error).toBeNull();
    const api = mock.state.log.filter((e) => e.kind === 'api');
    expect(api.map((e) => e.status)).toEqual([200, 200, 401, 200]);
    expect(mock.state.stats().tokenCalls).toBe(2);
    expect(result.failures).toEqual(['status is 200: expected response to have status code 200 but got 401']);
  });
});
