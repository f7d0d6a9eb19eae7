import { stringFromBase64 } from './base64.ts';
import { readRetryPolicy } from './config.ts';
import { OAuthKitError } from './errors.ts';
import type { TokenHttpRequest, TokenHttpResponse } from './http.ts';
import { redact, SECRET_PARAMETERS } from './redact.ts';
import { refusalMemo } from './refusal-memo.ts';
import { decideRetry, type RetryPolicy } from './retry.ts';
import type { Sandbox } from './sandbox.ts';
import { processTokenResponse, type TokenSet } from './token-response.ts';
import { SETTING } from './variables.ts';

function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

/**
 * The secret values a token request carries: credential parameters of its form
 * body (client secret, code, code verifier, refresh token, password, ...) and
 * the secret half of a Basic `Authorization` header (RFC 6749 section 2.3.1).
 * Whatever the server answers is redacted of these before anyone sees it.
 */
export function secretsOfRequest(request: TokenHttpRequest): string[] {
  const out: string[] = [];
  for (const pair of request.body.split('&')) {
    const eq = pair.indexOf('=');
    if (eq < 0) continue;
    const name = formDecode(pair.slice(0, eq)).toLowerCase();
    if (SECRET_PARAMETERS.indexOf(name) >= 0) out.push(formDecode(pair.slice(eq + 1)));
  }
  for (const key of Object.keys(request.headers)) {
    if (key.toLowerCase() !== 'authorization') continue;
    const match = /^basic\s+(\S+)/i.exec(request.headers[key] ?? '');
    if (!match) continue;
    const decoded = stringFromBase64(match[1] ?? '');
    const colon = decoded.indexOf(':');
    if (colon >= 0) out.push(formDecode(decoded.slice(colon + 1)), decoded.slice(colon + 1));
  }
  return out;
}

function redactError(error: unknown, secrets: string[], suffix: string): unknown {
  if (!(error instanceof OAuthKitError)) return error;
  const cause: Record<string, unknown> = {};
  const source = error.cause ?? {};
  for (const key of Object.keys(source)) {
    const value = source[key];
    cause[key] = typeof value === 'string' ? redact(value, secrets) : value;
  }
  return new OAuthKitError(error.code, redact(error.message, secrets) + suffix, cause);
}

function seconds(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}

function wait(sandbox: Sandbox, ms: number): Promise<void> {
  if (sandbox.wait) return sandbox.wait(ms);
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The one way every grant calls a token endpoint: send the request, retry what
 * a retry can fix (see retry.ts: 5xx but 501, transient network errors, 429 after
 * its `Retry-After`), then validate the response (RFC 6749 section 5.1/5.2).
 * OAuth errors (4xx with an `error` body) are never retried. Every error leaving
 * here is redacted of the request's own secrets, even when the server echoed them,
 * and remembered for the run (refusal-memo.ts) so later requests do not repeat it.
 */
export async function callTokenEndpoint(
  sandbox: Sandbox,
  request: TokenHttpRequest,
  policy: RetryPolicy = readRetryPolicy(sandbox),
): Promise<TokenSet> {
  const secrets = secretsOfRequest(request);
  const random = sandbox.random ?? Math.random;
  const memo = refusalMemo(sandbox, request);
  memo.check();
  const coolDown = policy.retryAfterCapMs;
  for (let attempt = 1; ; attempt++) {
    let response: TokenHttpResponse | undefined;
    let failure: { status?: number; networkCode?: string; retryAfter?: string };
    let sendError: unknown;
    try {
      response = await sandbox.send(request);
      failure = { status: response.status, retryAfter: response.headers['retry-after'] };
    } catch (error) {
      sendError = error;
      const networkCode =
        error instanceof OAuthKitError && typeof error.cause?.['networkCode'] === 'string'
          ? (error.cause['networkCode'] as string)
          : undefined;
      if (networkCode === undefined) throw redactError(error, secrets, '');
      failure = { networkCode };
    }
    if (response && response.status >= 200 && response.status <= 299) {
      try {
        return processTokenResponse(response);
      } catch (error) {
        throw memo.remember(redactError(error, secrets, ''));
      }
    }
    const decision = decideRetry(failure, attempt, policy, sandbox.now(), random);
    if (decision.action === 'retry') {
      sandbox.log(
        redact(
          `[postman-oauth-kit] the token endpoint failed (${decision.reason}); retry ${attempt} of ${policy.attempts - 1} in ${seconds(decision.delayMs)}.`,
          secrets,
        ),
      );
      await wait(sandbox, decision.delayMs);
      continue;
    }
    if (decision.action === 'too-long') {
      throw memo.remember(new OAuthKitError(
        'TOKEN_ENDPOINT_ERROR',
        `the token endpoint answered HTTP 429 (too many requests) and asked to wait ${seconds(decision.askedMs)} (Retry-After), longer than "${SETTING.retryAfterCap}" (${seconds(policy.retryAfterCapMs)}). Try again later, or raise "${SETTING.retryAfterCap}".`,
        { status: 429, retryAfterMs: decision.askedMs },
      ), decision.askedMs);
    }
    const suffix = attempt > 1 ? ` Gave up after ${attempt} attempts ("${SETTING.retryAttempts}").` : '';
    if (sendError !== undefined) throw memo.remember(redactError(sendError, secrets, suffix), coolDown);
    if (response && response.status === 429) {
      throw memo.remember(new OAuthKitError(
        'TOKEN_ENDPOINT_ERROR',
        `the token endpoint answered HTTP 429 (too many requests). Wait and run again, or raise "${SETTING.retryAttempts}".${suffix}`,
        { status: 429 },
      ), coolDown);
    }
    const permanent = response !== undefined && !(response.status >= 500 && response.status !== 501);
    try {
      processTokenResponse(response as TokenHttpResponse);
    } catch (error) {
      const safe = redactError(error, secrets, suffix);
      throw memo.remember(safe, permanent ? undefined : coolDown);
    }
    throw new OAuthKitError('TOKEN_ENDPOINT_ERROR', `the token endpoint answered HTTP ${failure.status}.${suffix}`, {
      status: failure.status,
    });
  }
}
