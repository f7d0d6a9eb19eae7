/**
 * Hand-written declaration of the part of the Postman sandbox API (`pm`) that this
 * script uses. It covers both engines the bundle runs in:
 * - Newman 6.x (postman-sandbox 4.x): callback-only `pm.sendRequest`, no `pm.vault`,
 *   no Web Crypto, no `globalThis`, `URL`, `TextEncoder` or `URLSearchParams`;
 * - the Postman app (postman-sandbox 6.x): adds `pm.vault` and global `crypto`.
 * Anything optional here is optional because one of the two engines lacks it.
 * Deliberately no Node or DOM types: nothing Node-only may leak into the sandbox.
 */

interface PmVariableScope {
  get(name: string): unknown;
  set(name: string, value: unknown): void;
  unset(name: string): void;
  has(name: string): boolean;
}

interface PmVariables extends PmVariableScope {
  /** Resolves `{{name}}` references through every scope. */
  replaceIn(template: string): string;
}

interface PmHeaderList {
  get(name: string): string | undefined;
}

interface PmResponse {
  code: number;
  status: string;
  headers: PmHeaderList;
  text(): string;
}

interface PmRequestDefinition {
  url: string;
  method: string;
  header: Array<{ key: string; value: string }>;
  body?: { mode: 'raw'; raw: string };
}

interface PmAuth {
  type: string;
  parameters?(): { toObject(): Record<string, unknown> };
}

interface PmVault {
  get(key: string): Promise<string | undefined | null>;
}

interface Pm {
  variables: PmVariables;
  collectionVariables: PmVariableScope;
  environment: PmVariableScope;
  globals?: PmVariableScope;
  /** Exists in the Postman app only. */
  vault?: PmVault;
  request: { auth?: PmAuth | null };
  /** Present in post-response ("test") scripts only. */
  response?: PmResponse;
  info: { requestName?: string; requestId?: string; eventName?: string; iteration?: number };
  /**
   * The callback form works in every engine; without a callback Newman's sandbox
   * returns `pm`, not a Promise, so this project always passes one.
   */
  sendRequest(
    request: PmRequestDefinition,
    callback: (error: unknown, response: PmResponse | undefined) => void,
  ): unknown;
  test(name: string, fn: () => void): void;
  execution?: {
    /** Newman 6.1+ and the Postman app: the current request is not sent. */
    skipRequest?(): void;
    setNextRequest?(name: string | null): void;
  };
}

declare const pm: Pm;
