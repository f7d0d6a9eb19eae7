/**
 * The same retry and 401-recovery code in the Postman app's engine
 * (postman-runtime 7.56 / postman-sandbox 6.x, as a devDependency), which has
 * promise sendRequest and pm.vault but otherwise runs the same bundle.
 */
import { createRequire } from 'node:module';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { injectIntoCollection } from '../../build/inject.ts';
import { builtBundle, requestsCollection, SECRET_ENV } from '../helpers/collections.ts';
import { startInProcessMock } from '../helpers/newman.ts';

const require = createRequire(import.meta.url);
const runtime = require('postman-runtime') as { Runner: new () => { run: (...args: unknown[]) => void } };
// The collection SDK postman-runtime itself depends on (newer than newman's).
const sdk = createRequire(require.resolve('postman-runtime'))('postman-collection') as {
  Collection: new (json: unknown) => unknown;
  VariableScope: new (json: unknown) => unknown;
};

const mock = startInProcessMock();
afterEach(() => {
  mock.state.reset();
  mock.server.resetHandlers();
});
afterAll(() => mock.server.close());

interface AppRun {
  assertions: Array<{ name: string; passed: boolean }>;
  console: string[];
  error: unknown;
}

function runInAppEngine(collection: unknown): Promise<AppRun> {
  const result: AppRun = { assertions: [], console: [], error: null };
  return new Promise((resolve) => {
    new runtime.Runner().run(
      new sdk.Collection(collection),
      { environment: new sdk.VariableScope({ values: SECRET_ENV }), iterationCount: 1 },
      (error: unknown, run: { start: (callbacks: Record<string, unknown>) => void }) => {
        if (error) {
          result.error = error;
          resolve(result);
          return;
        }
        run.start({
          assertion: (_cursor: unknown, assertions: Array<{ name: string; passed: boolean }>) => result.assertions.push(...assertions),
          console: (_cursor: unknown, _level: string, ...messages: unknown[]) => result.console.push(messages.map(String).join(' ')),
          exception: (_cursor: unknown, err: unknown) => (result.error = err),
          done: (err: unknown) => {
            if (err) result.error = err;
            resolve(result);
          },
        });
      },
    );
  });
}

describe('resilience in the Postman app engine (postman-runtime 7.56)', () => {
  it('retries a 503 and a 429 with Retry-After, then re-runs the request revoked mid-run', async () => {
    mock.state.faults.set({
      token: [
        { type: 'status', status: 503 },
        { type: 'status', status: 429, headers: { 'Retry-After': '1' } },
      ],
      revokeAfterApiCalls: 2,
    });
    const c = requestsCollection(4);
    injectIntoCollection(c, builtBundle(), { tokenUrl: 'https://login.mypurecloud.ie/oauth/token' }, 'requests.json');
    const run = await runInAppEngine(c);
    expect(run.error).toBeNull();
    expect(mock.state.log.map((e) => `${e.kind} ${e.status}`)).toEqual([
      'token 503',
      'token 429',
      'token 200',
      'api 200',
      'api 200',
      'api 401',
      'token 200',
      'api 200',
      'api 200',
    ]);
    expect(run.assertions.map((a) => a.passed)).toEqual([true, true, false, true, true]);
    expect(run.console).toContain(
      '[postman-oauth-kit] "request 3" was answered HTTP 401 with the cached token (revoked or expired early); dropped it and re-running the request once with a new token.',
    );
  });
});
