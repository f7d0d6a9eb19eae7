import dotenv from 'dotenv';
import { CliError, EXIT } from './errors.ts';
import { readTextFile } from './json-file.ts';

// One definition of the POSTMAN_VAULT_<KEY> convention, shared with login and the sandbox's docs.
import { vaultEnvName } from '../scripts-src/vault.ts';

export { vaultEnvName };

const VAULT_REFERENCE = /\{\{vault:([^{}]+)\}\}/g;

/** Drops scripts (`event` arrays) and descriptions: prose and code may mention `{{vault:key}}` without using it. */
function withoutScripts(key: string, value: unknown): unknown {
  return (key === 'event' && Array.isArray(value)) || key === 'description' ? undefined : value;
}

/**
 * Every vault key referenced as `{{vault:key}}` in the given JSON values
 * (variables, URLs, headers, bodies, auth; not scripts), in first-seen order.
 */
export function referencedVaultKeys(...values: unknown[]): string[] {
  const keys = new Set<string>();
  for (const value of values) {
    if (value === undefined) continue;
    const text = typeof value === 'string' ? value : JSON.stringify(value, withoutScripts);
    for (const match of text.matchAll(VAULT_REFERENCE)) keys.add((match[1] as string).trim());
  }
  return [...keys];
}

/** Reads a dotenv file (`POSTMAN_VAULT_KEY=value` lines) for `--vault-env-file`. */
export async function readVaultEnvFile(file: string, shown: string): Promise<Record<string, string>> {
  const text = await readTextFile(file).catch((error: unknown) => {
    if (error instanceof CliError) {
      throw new CliError(error.code, `--vault-env-file ${error.message.replace(file, shown)}`, EXIT.usage, { file: shown });
    }
    throw error;
  });
  return dotenv.parse(text);
}

export interface VaultLookup {
  /** Vault keys already defined as `vault:key` variables (environment, globals, --env-var). */
  defined: ReadonlySet<string>;
  /** The process environment. */
  env: Record<string, string | undefined>;
  /** Values from `--vault-env-file`; the process environment wins over them. */
  file: Record<string, string>;
}

export interface VaultSupply {
  /** `vault:key` variables to hand to newman. */
  values: { key: string; value: string }[];
  /** Referenced keys nobody supplies. */
  missing: string[];
}

/** Finds a value for every referenced vault key that no variable defines yet. */
export function supplyVaultSecrets(keys: readonly string[], lookup: VaultLookup): VaultSupply {
  const values: { key: string; value: string }[] = [];
  const missing: string[] = [];
  for (const key of keys) {
    if (lookup.defined.has(key)) continue;
    const name = vaultEnvName(key);
    const value = lookup.env[name] || lookup.file[name];
    if (value) values.push({ key: `vault:${key}`, value });
    else missing.push(key);
  }
  return { values, missing };
}

/** The error listing every missing vault secret by name, raised before any request is sent. */
export function missingSecretsError(missing: readonly string[], viaFile: boolean): CliError {
  const list = missing.map((key) => `"${key}" (${vaultEnvName(key)})`).join(', ');
  return new CliError(
    'VAULT_SECRETS_MISSING',
    `the collection uses ${missing.length === 1 ? 'a vault secret' : 'vault secrets'} with no value: ${list}. ` +
      `Set ${missing.length === 1 ? 'that environment variable' : 'those environment variables'}` +
      `${viaFile ? ' or add them to the --vault-env-file' : ' (or put them in a dotenv file given with --vault-env-file)'}, ` +
      'or pass --env-var "vault:<key>=<value>". No request was sent.',
    EXIT.usage,
    { missing: [...missing] },
  );
}

/**
 * The `oauth_` settings holding credentials that a grant does not read. The
 * builder writes every grant's settings (so `oauth_grant` can be switched in the
 * app without rebuilding), so a client-credentials run must not ask for the
 * password grant's `{{vault:oauth-password}}`.
 */
export function credentialSettingsUnusedBy(grant: string): string[] {
  const used: Record<string, string[]> = {
    client_credentials: ['oauth_client_id', 'oauth_client_secret'],
    authorization_code: ['oauth_client_id', 'oauth_client_secret'],
    pkce: ['oauth_client_id'],
    implicit: ['oauth_client_id'],
    password: ['oauth_client_id', 'oauth_client_secret', 'oauth_username', 'oauth_password'],
  };
  const all = ['oauth_client_id', 'oauth_client_secret', 'oauth_username', 'oauth_password'];
  const keep = used[grant];
  return keep ? all.filter((k) => !keep.includes(k)) : [];
}
