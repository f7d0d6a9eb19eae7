/// <reference path="./pm.d.ts" />
import type { TokenHttpRequest, TokenHttpResponse } from './http.ts';
import { OAuthKitError } from './errors.ts';
import { redactPatterns } from './redact.ts';
import type { CryptoHost, CryptoJsLike, WebCryptoLike } from './pkce.ts';

/*
 * Host globals, declared in this module only (so that they shadow, not clash
 * with, Node's declarations when tests type-check this file): Web Crypto is a
 * global in the Postman app's sandbox (6.x) and absent in Newman's (4.x), hence
 * read with `typeof`; `require` is the sandbox's module loader (crypto-js).
 */
declare const crypto: WebCryptoLike | undefined;
declare function require(name: 'crypto-js'): unknown;

/** A host without cryptography: no secure random source, no SHA-256. */
export const NO_CRYPTO: CryptoHost = { webCrypto: undefined, cryptoJs: () => undefined };

/**
 * Everything the token logic needs from its host. `createPmSandbox` implements it
 * over the Postman `pm` API; unit tests implement it with plain objects.
 */
export interface Sandbox {
  /** Raw (unresolved) value of a variable, searching every scope by precedence. */
  getVariable(name: string): string | undefined;
  /** Resolves `{{name}}` references through every scope. */
  replaceIn(template: string): string;
  /** Sets a variable for the current request only (the highest-precedence scope). */
  setLocal(name: string, value: string): void;
  /** The persistent scope the token cache lives in. */
  store: VariableStore;
  /** Postman Vault, where the host has one (the Postman app). */
  vault: { get(key: string): Promise<string | undefined | null> } | undefined;
  send(request: TokenHttpRequest): Promise<TokenHttpResponse>;
  now(): number;
  /** The auth type the current request declares itself (`undefined` = inherits). */
  requestAuth(): { type: string; token?: string } | undefined;
  /** Records a failed test; both texts are pattern-redacted except for the exact `shown` substrings. */
  fail(testName: string, message: string, shown?: ReadonlyArray<string>): void;
  /** True when the host can skip the current request (newman 6.1+, the app). */
  canSkipRequest(): boolean;
  /** Skips the current request. In the app sandbox this also ends the script at once, so call it last. */
  skipRequest(): void;
  /** Prints a console line; it is pattern-redacted except for the exact `shown` substrings. */
  log(message: string, shown?: ReadonlyArray<string>): void;
  /** Resolves after `ms` milliseconds (retry backoff); defaults to `setTimeout`. */
  wait?(ms: number): Promise<void>;
  /** A number in [0, 1) for backoff jitter; defaults to `Math.random`. */
  random?(): number;
  /** Web Crypto and crypto-js, where the host has them (PKCE, `state`); absent = neither. */
  crypto?: CryptoHost;
  /** Empties a variable in every scope that defines it (`oauth_callback_url` once consumed); absent = local only. */
  clearVariable?(name: string): void;
}

export interface VariableStore {
  get(name: string): string | undefined;
  set(name: string, value: string): void;
  unset(name: string): void;
}

function asString(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : String(value);
}

function scopeStore(scope: PmVariableScope): VariableStore {
  return {
    get: (name) => asString(scope.get(name)),
    set: (name, value) => scope.set(name, value),
    unset: (name) => scope.unset(name),
  };
}

function headersOf(response: PmResponse): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ['content-type', 'retry-after', 'www-authenticate']) {
    const value = response.headers.get(name);
    if (value !== undefined && value !== null) out[name] = String(value);
  }
  return out;
}

/** Describes a `pm.sendRequest` network error, which arrives as a plain object. */
export function describeNetworkError(error: unknown): { code: string; detail: string } {
  if (error && typeof error === 'object') {
    const e = error as { code?: unknown; message?: unknown; syscall?: unknown };
    const code = typeof e.code === 'string' ? e.code : 'NETWORK_ERROR';
    const detail =
      typeof e.message === 'string' && e.message !== ''
        ? e.message
        : [code, typeof e.syscall === 'string' ? e.syscall : ''].filter(Boolean).join(' ');
    return { code, detail };
  }
  return { code: 'NETWORK_ERROR', detail: String(error) };
}

/** Web Crypto of the app sandbox; Newman's sandbox has none. */
function hostWebCrypto(): WebCryptoLike | undefined {
  try {
    return typeof crypto !== 'undefined' && crypto ? crypto : undefined;
  } catch {
    return undefined;
  }
}

/** crypto-js (3.x in Newman), loaded only when needed: the app sandbox deprecates it. */
function hostCryptoJs(): CryptoJsLike | undefined {
  try {
    const lib = require('crypto-js') as CryptoJsLike | undefined;
    return lib && typeof lib.SHA256 === 'function' ? lib : undefined;
  } catch {
    return undefined;
  }
}

/** Wraps the Postman `pm` object; `tokenStore` picks the scope the cache lives in. */
export function createPmSandbox(pmApi: Pm, tokenStore: 'collection' | 'environment'): Sandbox {
  return {
    getVariable: (name) => asString(pmApi.variables.get(name)),
    replaceIn: (template) => pmApi.variables.replaceIn(template),
    setLocal: (name, value) => pmApi.variables.set(name, value),
    store: scopeStore(tokenStore === 'environment' ? pmApi.environment : pmApi.collectionVariables),
    vault: pmApi.vault && typeof pmApi.vault.get === 'function' ? pmApi.vault : undefined,
    send: (request) =>
      new Promise<TokenHttpResponse>((resolve, reject) => {
        const headers = Object.keys(request.headers).map((key) => ({
          key,
          value: request.headers[key] ?? '',
        }));
        pmApi.sendRequest(
          { url: request.url, method: request.method, header: headers, body: { mode: 'raw', raw: request.body } },
          (error, response) => {
            if (error || !response) {
              const { code, detail } = describeNetworkError(error);
              reject(
                new OAuthKitError('TOKEN_REQUEST_FAILED', `could not reach the token endpoint (${detail}). Check "oauth_token_url" and that the server is up.`, {
                  networkCode: code,
                }),
              );
              return;
            }
            let body = '';
            try {
              body = response.text();
            } catch {
              body = '';
            }
            resolve({ status: response.code, headers: headersOf(response), body });
          },
        );
      }),
    now: () => Date.now(),
    requestAuth: () => {
      const auth = pmApi.request && pmApi.request.auth;
      if (!auth || !auth.type) return undefined;
      const params = auth.parameters ? auth.parameters().toObject() : {};
      const token = asString(params['token']);
      return token === undefined ? { type: auth.type } : { type: auth.type, token };
    },
    fail: (testName, message, shown) => {
      // Last line of defence: callers redact known secrets, this catches the shapes.
      const safeMessage = redactPatterns(message, shown);
      pmApi.test(redactPatterns(testName, shown), () => {
        throw new Error(safeMessage);
      });
    },
    canSkipRequest: () => !!pmApi.execution && typeof pmApi.execution.skipRequest === 'function',
    skipRequest: () => {
      const execution = pmApi.execution;
      if (execution && typeof execution.skipRequest === 'function') execution.skipRequest();
    },
    log: (message, shown) => console.error(redactPatterns(message, shown)),
    wait: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
    crypto: { webCrypto: hostWebCrypto(), cryptoJs: hostCryptoJs },
    clearVariable: (name) => {
      for (const scope of [pmApi.environment, pmApi.collectionVariables, pmApi.globals]) {
        if (scope && scope.has(name)) scope.set(name, '');
      }
      pmApi.variables.set(name, '');
    },
  };
}
