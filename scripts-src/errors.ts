/** Prefix of every message this tool shows to a user (tests, console). */
export const TOOL_PREFIX = '[postman-oauth-kit]';

/** Stable, machine-readable error codes; tests and docs refer to these. */
export type OAuthKitErrorCode =
  | 'CONFIG_MISSING'
  | 'CONFIG_INVALID'
  | 'SECRET_MISSING'
  | 'VAULT_ACCESS_DENIED'
  | 'TOKEN_REQUEST_FAILED'
  | 'TOKEN_ENDPOINT_ERROR'
  | 'TOKEN_RESPONSE_INVALID'
  | 'UNSUPPORTED_SANDBOX'
  | 'SIGN_IN_REQUIRED'
  | 'SIGN_IN_FAILED'
  | 'CALLBACK_INVALID'
  | 'STATE_MISMATCH'
  | 'REFRESH_REFUSED';

/**
 * The one error type the script raises. `message` says what happened and what to
 * do, never contains a secret, and carries no prefix (the reporter adds it).
 * `cause` holds structured detail (HTTP status, OAuth `error` code, field name).
 */
export class OAuthKitError extends Error {
  readonly code: OAuthKitErrorCode;
  // `declare`: ES2022's Error already has `cause`, ES2020's (the sandbox's) has not;
  // this compiles under both the sandbox and the Node/test tsconfig.
  declare readonly cause: Record<string, unknown> | undefined;

  constructor(code: OAuthKitErrorCode, message: string, cause?: Record<string, unknown>) {
    super(message);
    this.name = 'OAuthKitError';
    this.code = code;
    (this as { cause?: Record<string, unknown> }).cause = cause;
  }
}

/** Turns anything thrown into a one-line description without a stack. */
export function describeError(error: unknown): string {
  if (error instanceof OAuthKitError) return error.message;
  if (error instanceof Error) return `unexpected error: ${error.message}`;
  return `unexpected error: ${String(error)}`;
}
