import { readRetryOn401, readTokenStore } from './config.ts';
import { describeError, TOOL_PREFIX } from './errors.ts';
import { redactPatterns } from './redact.ts';
import { clearCachedToken } from './token-cache.ts';
import { CACHE, RERUN_SCHEDULED, RETRY_401_GUARD } from './variables.ts';

/** What the post-response script did; returned for tests. */
export type AfterOutcome = 'none' | 'rerun' | 'dropped' | 'gave-up' | 'recovered';

function asString(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : String(value);
}

/**
 * True when the request sent our bearer token: it inherits the collection auth or
 * its bearer refers to our variable. (After the request, Newman shows the auth
 * with variables resolved, so the token value itself is compared too.)
 */
function carriesOurToken(pmApi: Pm, ourToken: string): boolean {
  const auth = pmApi.request && pmApi.request.auth;
  if (!auth || !auth.type) return true;
  if (auth.type !== 'bearer') return false;
  const params = auth.parameters ? auth.parameters().toObject() : {};
  const token = asString(params['token']);
  return token === undefined || token === ourToken || token.indexOf(CACHE.accessToken) >= 0;
}

function log(message: string): void {
  console.error(redactPatterns(`${TOOL_PREFIX} ${message}`));
}

/**
 * The collection-level post-response script. When a request that carried our
 * token is answered 401 (RFC 6750 section 3.1: revoked, idled out, clock skew),
 * it drops the cached token so the next request obtains a new one and, in a
 * collection run, re-runs the request once (`pm.execution.setNextRequest` to its
 * own id). A run-scoped local variable (`oauth_401_rerun` = iteration:request id)
 * guards the re-run: a second 401 for the same request is not re-run again, so
 * the script can never loop. Never throws.
 */
export function runAfterResponse(pmApi: Pm): AfterOutcome {
  try {
    const response = pmApi.response;
    if (!response) return 'none';
    if (pmApi.variables.get(RERUN_SCHEDULED)) pmApi.variables.set(RERUN_SCHEDULED, '');
    const get = (name: string) => asString(pmApi.variables.get(name));
    const key = `${pmApi.info.iteration ?? 0}:${pmApi.info.requestId ?? pmApi.info.requestName ?? ''}`;
    const guard = get(RETRY_401_GUARD);
    const name = pmApi.info.requestName ?? 'the request';
    if (response.code !== 401) {
      if (guard === key) {
        pmApi.variables.set(RETRY_401_GUARD, '');
        return 'recovered';
      }
      return 'none';
    }
    const token = get(CACHE.accessToken);
    if (!token || !carriesOurToken(pmApi, token)) return 'none';

    const scope = readTokenStore(get) === 'environment' ? pmApi.environment : pmApi.collectionVariables;
    const store = {
      get: (n: string) => asString(scope.get(n)),
      set: (n: string, v: string) => scope.set(n, v),
      unset: (n: string) => scope.unset(n),
    };
    // Another request may already have replaced it; only drop the token that failed.
    if (store.get(CACHE.accessToken) === token) clearCachedToken(store);

    if (guard === key) {
      pmApi.variables.set(RETRY_401_GUARD, '');
      log(`"${name}" was answered HTTP 401 again after re-running it with a new token; not re-running it again. Check that the OAuth client may call this API (roles, scopes, organization).`);
      return 'gave-up';
    }
    const execution = pmApi.execution;
    if (!readRetryOn401(get) || !execution || typeof execution.setNextRequest !== 'function' || !pmApi.info.requestId) {
      log(`"${name}" was answered HTTP 401 with the cached token; dropped it, so the next request obtains a new one.`);
      return 'dropped';
    }
    pmApi.variables.set(RETRY_401_GUARD, key);
    pmApi.variables.set(RERUN_SCHEDULED, 'true');
    log(`"${name}" was answered HTTP 401 with the cached token (revoked or expired early); dropped it and re-running the request once with a new token.`);
    execution.setNextRequest(pmApi.info.requestId);
    return 'rerun';
  } catch (error) {
    log(`the post-response script failed: ${describeError(error)}`);
    return 'none';
  }
}
