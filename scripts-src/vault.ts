import { OAuthKitError } from './errors.ts';
import type { Sandbox } from './sandbox.ts';

const VAULT_REFERENCE = /^\{\{vault:([^{}]+)\}\}$/;

/** The vault key of a `{{vault:key}}` reference, or `undefined` for any other value. */
export function vaultKeyOf(value: string): string | undefined {
  const match = VAULT_REFERENCE.exec(value.trim());
  return match ? match[1] : undefined;
}

/**
 * Name of the process environment variable that `postman-oauth-kit run` and
 * `login` read a vault secret from: `POSTMAN_VAULT_` + the key upper-cased with
 * every non-alphanumeric character turned into `_`.
 */
export function vaultEnvName(key: string): string {
  return 'POSTMAN_VAULT_' + key.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

function howToSupply(key: string): string {
  return (
    `In the Postman app add a secret named "${key}" to Postman Vault. ` +
    `With newman pass --env-var "vault:${key}=<value>" (or define a variable named "vault:${key}" in an environment).`
  );
}

function isAccessDenied(error: unknown): boolean {
  const text = error instanceof Error ? error.message : String(error);
  return /access denied/i.test(text);
}

/**
 * Resolves a setting that may hold a secret. A `{{vault:key}}` value is read
 * from Postman Vault (`pm.vault.get`) where the host has one, and otherwise from
 * a variable literally named `vault:key`, which is how newman receives it
 * (`--env-var "vault:key=..."`). Any other value has its `{{variables}}` resolved.
 * Errors name the setting and the vault key, never the value.
 */
export async function resolveSecret(sandbox: Sandbox, setting: string, rawValue: string): Promise<string> {
  const key = vaultKeyOf(rawValue);
  if (key === undefined) {
    const value = rawValue.indexOf('{{') < 0 ? rawValue.trim() : sandbox.replaceIn(rawValue).trim();
    const unresolved = /\{\{([^{}]+)\}\}/.exec(value);
    if (unresolved) {
      throw new OAuthKitError(
        'SECRET_MISSING',
        `"${setting}" refers to the variable "${unresolved[1]}", which is not defined. Define it, or set "${setting}" to a vault reference such as {{vault:${setting.replace(/^oauth_/, 'oauth-').replace(/_/g, '-')}}}.`,
        { variable: setting, missing: unresolved[1] },
      );
    }
    if (value === '') {
      throw new OAuthKitError('SECRET_MISSING', `"${setting}" is empty.`, { variable: setting });
    }
    return value;
  }

  const fromVariable = sandbox.getVariable('vault:' + key);
  const variableValue =
    fromVariable !== undefined && fromVariable !== '' && vaultKeyOf(fromVariable) === undefined ? fromVariable : undefined;

  if (sandbox.vault) {
    let fromVault: string | undefined | null;
    try {
      fromVault = await sandbox.vault.get(key);
    } catch (error) {
      if (variableValue !== undefined) return variableValue;
      if (isAccessDenied(error)) {
        throw new OAuthKitError(
          'VAULT_ACCESS_DENIED',
          `Postman Vault denied this script access to "${key}" (Vault access denied). ` +
            'In Postman open Vault, select Settings, turn on "Enable support in scripts" and allow this collection access, then send the request again.',
          { variable: setting, vaultKey: key },
        );
      }
      throw new OAuthKitError('SECRET_MISSING', `reading "${key}" from Postman Vault failed. ${howToSupply(key)}`, {
        variable: setting,
        vaultKey: key,
      });
    }
    if (typeof fromVault === 'string' && fromVault !== '') return fromVault;
  }

  if (variableValue !== undefined) return variableValue;
  throw new OAuthKitError(
    'SECRET_MISSING',
    `no value for the vault secret "${key}" (used by "${setting}"). ${howToSupply(key)}`,
    { variable: setting, vaultKey: key },
  );
}
