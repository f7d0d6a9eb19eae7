import { renderHelp } from './args.ts';
import type { Command } from './cli.ts';
import { topLevelHelp } from './cli.ts';
import { CONFIG_FILE_NAME, configKeys } from './config-file.ts';
import { EXIT } from './errors.ts';
import { SETTINGS } from './settings.ts';
import { vaultEnvName } from './vault-env.ts';

/** What each exit code means; a test fails when EXIT gains a code this does not describe. */
export const EXIT_MEANINGS: Record<keyof typeof EXIT, string> = {
  ok: 'Success (for `run`: every request and test passed, or `--suppress-exit-code`).',
  failed: 'The run completed with failures: a failed test, a failed token request, newman could not run.',
  usage: 'Bad command line or configuration: unknown command or option, invalid value, invalid config file, missing vault secrets (`run`, before any request).',
  input: 'An input file is missing, unreadable, not JSON, or not a collection/environment.',
  output: 'An output cannot be written (folder missing, read-only, would overwrite the input).',
};

/**
 * What each of the script's cache variables besides oauth_access_token means (the names are
 * scripts-src/variables.ts CACHE; test/unit/cli-reference.test.ts keeps the two lists equal).
 */
export const CACHE_MEANINGS: Record<string, string> = {
  oauth_token_expires_at: 'When the cached token expires (ISO 8601). Written by the script.',
  oauth_token_obtained_at: 'When the cached token was obtained (ISO 8601). Written by the script.',
  oauth_token_fingerprint: 'Hash of the settings the cached token was obtained with; a change forces a new token. Written by the script.',
  oauth_refresh_token: 'Refresh token of the user-context grants (rotated when the server sends a new one); cleared with the access token. Written by the script and by login.',
  oauth_pending_state: 'The "state" of the sign-in in progress (RFC 6749 section 10.12); a local, unsynced value. Written by the script and by login --manual.',
  oauth_pending_verifier: 'The PKCE code verifier of the sign-in in progress (RFC 7636); a local, unsynced value. Written by the script and by login --manual.',
};

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/**
 * docs/cli.md: every command's `--help` (verbatim, so the page cannot drift from
 * the CLI), the `oauth_` variables of build/settings.ts, the config file keys,
 * the vault environment variables and the exit codes.
 */
export function renderCliReference(commands: readonly Command[]): string {
  const out: string[] = [
    '# postman-oauth-kit command-line reference',
    '',
    '<!-- Generated from the CLI\'s own option tables (build/cli-reference.ts). Do not edit: run `npm run docs`. A test fails when this file is stale. -->',
    '',
    '```text',
    topLevelHelp().trimEnd(),
    '```',
    '',
    'Commands: ' + commands.map((c) => `[\`${c.spec.name}\`](#${c.spec.name})`).join(', ') + '.',
    '',
  ];
  for (const { spec } of commands) {
    out.push(`## ${spec.name}`, '', '```text', `$ postman-oauth-kit ${spec.name} --help`, renderHelp(spec).trimEnd(), '```', '');
  }
  out.push(
    '## oauth_ variables',
    '',
    '`inject` writes these collection variables; an environment, `--env-var` or iteration data may override any of them.',
    '',
    '| Variable | Default | Meaning |',
    '| --- | --- | --- |',
    ...SETTINGS.map((s) => `| \`${s.key}\` | ${s.fallback === '' ? '(empty)' : `\`${cell(s.fallback)}\``} | ${cell(s.description)} |`),
    '',
    'The script also keeps these in the token store scope (`oauth_token_store`):',
    '',
    '| Variable | Meaning |',
    '| --- | --- |',
    ...Object.entries(CACHE_MEANINGS).map(([key, text]) => `| \`${key}\` | ${cell(text)} |`),
    '',
    '## Vault secrets in pipelines',
    '',
    'Newman has no Postman Vault. `postman-oauth-kit run` reads each `{{vault:<key>}}` the collection or environment uses',
    'from the process environment variable `POSTMAN_VAULT_<KEY>`: the key upper-cased, every other character turned into `_`.',
    '',
    '| Vault reference | Environment variable |',
    '| --- | --- |',
    ...['oauth-client-id', 'oauth-client-secret', 'gc-client-secret'].map((k) => `| \`{{vault:${k}}}\` | \`${vaultEnvName(k)}\` |`),
    '',
    'A dotenv file given with `--vault-env-file` may hold the same names; the process environment wins. Missing secrets are',
    'listed by name before any request is sent (exit 2). Reports never contain a secret or an access token; an exported',
    'environment (`--export-environment`) leaves the `vault:` values out and keeps a cached token for the next run.',
    '',
    `## Config file (${CONFIG_FILE_NAME})`,
    '',
    '`inject` reads it from the current folder (or the file given with `--config`); flags win over it.',
    '',
    '| Key | Flag | Type |',
    '| --- | --- | --- |',
    ...Object.entries(configKeys()).map(([key, spec]) => `| \`${key}\` | \`--${spec.flag}\` | ${key === 'refreshMargin' ? 'number or string' : spec.kind} |`),
    '',
    '## Exit codes',
    '',
    '| Code | Meaning |',
    '| --- | --- |',
    ...Object.entries(EXIT).map(([name, code]) => `| ${code} | ${cell(EXIT_MEANINGS[name as keyof typeof EXIT])} |`),
    '',
  );
  return out.join('\n');
}
