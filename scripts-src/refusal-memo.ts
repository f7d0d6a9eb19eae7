import { OAuthKitError } from './errors.ts';
import { fnv1a } from './fingerprint.ts';
import type { TokenHttpRequest } from './http.ts';
import type { Sandbox } from './sandbox.ts';
import { REFUSED_MEMO } from './variables.ts';

/**
 * Remembers, for the rest of a collection run, that the token endpoint refused a
 * request: for good (4xx, unusable response) or for a while (after giving up on
 * 5xx, 429 or network errors). Later requests of the run then fail at once with
 * the same (already redacted) message instead of calling again, so a run of 50
 * requests with a wrong secret or a dead server does not make 50 (or 200) calls.
 * Kept in a local variable (`oauth_refused`), which lives for the run and is never
 * written to a file; it holds a hash of the request, not the request.
 */
export interface RefusalMemo {
  /** Throws the remembered error if this request was refused and the rest has not ended. */
  check(): void;
  /** Remembers `error` for `forMs` milliseconds, or for the run; returns it for `throw`. */
  remember(error: unknown, forMs?: number): unknown;
}

export function refusalMemo(sandbox: Sandbox, request: TokenHttpRequest): RefusalMemo {
  const key = fnv1a(`${request.url}\u0001${request.body}\u0001${JSON.stringify(request.headers)}`);
  return {
    check() {
      const memo = sandbox.getVariable(REFUSED_MEMO);
      if (memo === undefined || memo.indexOf(key + ' ') !== 0) return;
      const [until, code, ...message] = memo.slice(key.length + 1).split(' ');
      if (until === 'run' || sandbox.now() < Number(until)) {
        throw new OAuthKitError(code === 'TOKEN_RESPONSE_INVALID' ? code : 'TOKEN_ENDPOINT_ERROR', message.join(' '), {
          remembered: true,
        });
      }
    },
    remember(error, forMs) {
      if (error instanceof OAuthKitError) {
        const until = forMs === undefined ? 'run' : String(sandbox.now() + forMs);
        sandbox.setLocal(REFUSED_MEMO, `${key} ${until} ${error.code} ${error.message}`);
      }
      return error;
    },
  };
}
