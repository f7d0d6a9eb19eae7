import { describe, expect, it, vi } from 'vitest';
import { runAfterResponse } from '../../scripts-src/after-response.ts';

interface FakeOptions {
  code: number;
  auth?: { type: string; token?: string } | null;
  local?: Record<string, string>;
  collection?: Record<string, string>;
  environment?: Record<string, string>;
  requestId?: string;
  setNextRequest?: boolean;
}

function scope(values: Record<string, string>) {
  return {
    get: (k: string) => values[k],
    set: (k: string, v: unknown) => {
      values[k] = String(v);
    },
    unset: (k: string) => {
      delete values[k];
    },
    has: (k: string) => k in values,
  };
}

function fakePm(o: FakeOptions) {
  const local = { ...(o.local ?? {}) };
  const collection = { ...(o.collection ?? {}) };
  const environment = { ...(o.environment ?? {}) };
  const next: Array<string | null> = [];
  const lookup = (k: string) => local[k] ?? environment[k] ?? collection[k];
  const pm = {
    variables: { ...scope(local), get: lookup, replaceIn: (t: string) => t },
    collectionVariables: scope(collection),
    environment: scope(environment),
    request: {
      auth:
        o.auth === undefined || o.auth === null
          ? o.auth
          : { type: o.auth.type, parameters: () => ({ toObject: () => (o.auth?.token === undefined ? {} : { token: o.auth.token }) }) },
    },
    response: { code: o.code, status: '', headers: { get: () => undefined }, text: () => '' },
    info: { requestName: 'r', requestId: o.requestId === undefined ? 'id-1' : o.requestId, iteration: 0 },
    sendRequest: () => undefined,
    test: () => undefined,
    execution: o.setNextRequest === false ? {} : { setNextRequest: (n: string | null) => next.push(n) },
  };
  return { pm: pm as unknown as Pm, local, collection, environment, next };
}

const CACHED = { oauth_access_token: 'tok-1', oauth_token_expires_at: '2030-01-01T00:00:00.000Z', oauth_token_obtained_at: '2029-01-01T00:00:00.000Z', oauth_token_fingerprint: 'abcd1234' };

describe('runAfterResponse', () => {
  vi.spyOn(console, 'error').mockImplementation(() => undefined);

  it('drops the cached token, schedules one re-run of this request and marks it', () => {
    const f = fakePm({ code: 401, local: { oauth_access_token: 'tok-1' }, collection: { ...CACHED } });
    expect(runAfterResponse(f.pm)).toBe('rerun');
    expect(f.collection['oauth_access_token']).toBe('');
    expect(f.collection['oauth_token_expires_at']).toBe('');
    expect(f.next).toEqual(['id-1']);
    expect(f.local['oauth_401_rerun']).toBe('0:id-1');
    expect(f.local['oauth_rerun_scheduled']).toBe('true');
  });

  it('on the re-run a second 401 gives up (no loop); a 200 clears the guard', () => {
    const again = fakePm({ code: 401, local: { oauth_access_token: 'tok-2', oauth_401_rerun: '0:id-1' }, collection: { ...CACHED, oauth_access_token: 'tok-2' } });
    expect(runAfterResponse(again.pm)).toBe('gave-up');
    expect(again.next).toEqual([]);
    expect(again.local['oauth_401_rerun']).toBe('');
    const ok = fakePm({ code: 200, local: { oauth_access_token: 'tok-2', oauth_401_rerun: '0:id-1', oauth_rerun_scheduled: 'true' } });
    expect(runAfterResponse(ok.pm)).toBe('recovered');
    expect(ok.local['oauth_401_rerun']).toBe('');
    expect(ok.local['oauth_rerun_scheduled']).toBe('');
  });

  it('leaves a token another request already replaced in the cache', () => {
    const f = fakePm({ code: 401, local: { oauth_access_token: 'tok-old' }, collection: { ...CACHED, oauth_access_token: 'tok-new' } });
    expect(runAfterResponse(f.pm)).toBe('rerun');
    expect(f.collection['oauth_access_token']).toBe('tok-new');
  });

  it('uses the environment store when oauth_token_store=environment', () => {
    const f = fakePm({ code: 401, local: { oauth_access_token: 'tok-1' }, collection: { oauth_token_store: 'environment' }, environment: { ...CACHED } });
    runAfterResponse(f.pm);
    expect(f.environment['oauth_access_token']).toBe('');
  });

  it.each([
    ['a request with its own basic auth', { auth: { type: 'basic' } }],
    ['a request with a bearer token of its own', { auth: { type: 'bearer', token: 'someone-elses' } }],
  ])('ignores %s', (_name, extra) => {
    const f = fakePm({ code: 401, local: { oauth_access_token: 'tok-1' }, collection: { ...CACHED }, ...extra });
    expect(runAfterResponse(f.pm)).toBe('none');
    expect(f.collection['oauth_access_token']).toBe('tok-1');
    expect(f.next).toEqual([]);
  });

  it('ignores a 401 when no token of ours exists', () => {
    const f = fakePm({ code: 401, local: {}, collection: {} });
    expect(runAfterResponse(f.pm)).toBe('none');
    expect(f.next).toEqual([]);
  });

  it('only drops the token when re-running is off or impossible', () => {
    for (const extra of [{ collection: { ...CACHED, oauth_retry_on_401: 'false' } }, { setNextRequest: false }, { requestId: '' }]) {
      const f = fakePm({ code: 401, local: { oauth_access_token: 'tok-1' }, collection: { ...CACHED }, ...extra });
      expect(runAfterResponse(f.pm)).toBe('dropped');
      expect(f.collection['oauth_access_token']).toBe('');
      expect(f.next).toEqual([]);
    }
  });

  it('never throws, even on a bad setting', () => {
    const f = fakePm({ code: 401, local: { oauth_access_token: 'tok-1' }, collection: { ...CACHED, oauth_retry_on_401: 'maybe' } });
    expect(runAfterResponse(f.pm)).toBe('none');
    expect(console.error).toHaveBeenCalledWith('[postman-oauth-kit] the post-response script failed: "oauth_retry_on_401" is "maybe"; use "true" or "false".');
  });
});
