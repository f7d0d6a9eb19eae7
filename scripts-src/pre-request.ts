/// <reference path="./pm.d.ts" />
import { readTokenStore } from './config.ts';
import { ensureToken, type SecretsSeen, type UserGrantHandler } from './ensure-token.ts';
import { describeError, OAuthKitError, TOOL_PREFIX } from './errors.ts';
import { redact } from './redact.ts';
import { createPmSandbox, type Sandbox } from './sandbox.ts';
import { CACHE } from './variables.ts';

/** The sandbox's timer API (both engines); declared here so it shadows Node's in tests. */
declare function clearTimeout(handle: unknown): void;

/**
 * Reports a failure loudly and safely: a failed `pm.test` named with the tool's
 * prefix (so newman exits non-zero), the same line on the console, and the
 * request skipped so it is never sent without a valid token.
 */
export function reportFailure(sandbox: Sandbox, error: unknown, seen: SecretsSeen): void {
  // The sign-in URL is shown on purpose (the user opens it); everything else is redacted.
  const url = error instanceof OAuthKitError ? error.cause?.['authorizationUrl'] : undefined;
  const shown = typeof url === 'string' ? [url] : [];
  const message = redact(describeError(error), seen.values, shown);
  const canSkip = sandbox.canSkipRequest();
  if (!canSkip) sandbox.setLocal(CACHE.accessToken, '');
  const outcome = canSkip
    ? 'The request was not sent.'
    : 'This newman cannot skip requests (needs newman 6.1 or later), so the request was sent without a token.';
  sandbox.fail(`${TOOL_PREFIX} ${message}`, `${message} ${outcome}`, shown);
  sandbox.log(`${TOOL_PREFIX} ${message} ${outcome}`, shown);
  // Last: in the app sandbox skipRequest() ends the script immediately.
  if (canSkip) sandbox.skipRequest();
}

/** Entry point of the collection-level pre-request script. Never throws or rejects. */
/** Entry point of the collection-level pre-request script; `userGrants` is left out of the client-credentials-only bundle. */
export function runPreRequest(pmApi: Pm, userGrants?: UserGrantHandler): void {
  const seen: SecretsSeen = { values: [] };
  let sandbox: Sandbox;
  try {
    sandbox = createPmSandbox(pmApi, readTokenStore((name) => {
      const v = pmApi.variables.get(name);
      return v === undefined || v === null ? undefined : String(v);
    }));
  } catch (error) {
    sandbox = createPmSandbox(pmApi, 'collection');
    reportFailure(sandbox, error, seen);
    return;
  }
  const failed = (error: unknown) => {
    try {
      reportFailure(sandbox, error, seen);
    } catch (inner) {
      console.error(redact(`${TOOL_PREFIX} could not report a failure: ${describeError(inner)}`, seen.values));
    }
  };
  // The app's sandbox (6.x) ends a script when no timer or pm.sendRequest is pending;
  // an untracked promise (Web Crypto's digest, pm.vault) would let the request go
  // out before the token is set. A timer held until the work settles prevents that.
  const keepAlive = setTimeout(() => undefined, KEEP_ALIVE_MS);
  const release = () => clearTimeout(keepAlive);
  try {
    ensureToken(sandbox, seen, userGrants).then(release, (error: unknown) => {
      release();
      failed(error);
    });
  } catch (error) {
    release();
    failed(error);
  }
}

/** Upper bound of the keep-alive; token calls end long before (newman's --timeout-request applies to them). */
const KEEP_ALIVE_MS = 120_000;
