/** Exit codes of the CLI, stable and documented in docs/cli.md. */
export const EXIT = {
  ok: 0,
  /** A run completed with failures (newman failures, a failed sign-in). */
  failed: 1,
  /** Bad command line: unknown command, option or value. */
  usage: 2,
  /** The input file is missing, unreadable, not JSON or not a collection. */
  input: 3,
  /** The output cannot be written (exists as input, folder missing, read-only). */
  output: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** User-facing prefix of every message the tool prints. */
export const PREFIX = '[postman-oauth-kit]';

/**
 * An error a user can act on. `message` says what happened and what to do
 * (without the prefix, which the CLI adds); `code` is stable for tests and scripts.
 */
export class CliError extends Error {
  readonly code: string;
  readonly exitCode: ExitCode;
  override readonly cause: Record<string, unknown> | undefined;

  constructor(code: string, message: string, exitCode: ExitCode, cause?: Record<string, unknown>) {
    super(message);
    this.name = 'CliError';
    this.code = code;
    this.exitCode = exitCode;
    this.cause = cause;
  }
}
