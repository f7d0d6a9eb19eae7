import { vaultEnvName, vaultKeyOf } from '../scripts-src/vault.ts';
import { CliError, EXIT } from './errors.ts';

/**
 * The `oauth_` settings `postman-oauth-kit login` works with, read the way the
 * pre-request script reads them in newman: collection variables, overridden by
 * the environment file, overridden by command-line flags; `{{name}}` resolved
 * through the same map; `{{vault:key}}` from `POSTMAN_VAULT_<KEY>`.
 */
export type VariableMap = Map<string, string>;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `key -> value` of a collection's or environment's enabled variables. */
export function variablesOf(list: unknown): VariableMap {
  const out: VariableMap = new Map();
  if (!Array.isArray(list)) return out;
  for (const entry of list) {
    if (!isObject(entry) || typeof entry['key'] !== 'string' || entry['enabled'] === false) continue;
    const value = entry['value'];
    out.set(entry['key'], value === undefined || value === null ? '' : String(value));
  }
  return out;
}


/** Resolves `{{name}}` references (not vault ones) through `map`; an unknown name is an error naming the setting. */
export function resolveTemplate(map: VariableMap, setting: string, value: string): string {
  let out = value;
  for (let depth = 0; depth < 10 && /\{\{[^{}]+\}\}/.test(out); depth++) {
    out = out.replace(/\{\{([^{}]+)\}\}/g, (whole, name: string) => {
      if (name.startsWith('vault:')) return whole;
      const found = map.get(name);
      if (found === undefined) {
        throw new CliError(
          'SETTING_UNRESOLVED',
          `"${setting}" refers to the variable "${name}", which neither the collection nor the environment file defines. Define it, or pass the setting as a flag.`,
          EXIT.input,
          { setting, missing: name },
        );
      }
      return found;
    });
  }
  return out.trim();
}

/** A setting's resolved value; `undefined` when absent or empty. */
export function setting(map: VariableMap, name: string): string | undefined {
  const value = map.get(name);
  if (value === undefined || value.trim() === '') return undefined;
  const out = resolveTemplate(map, name, value);
  return out === '' ? undefined : out;
}

/**
 * A secret setting: a `{{vault:key}}` reference is read from `POSTMAN_VAULT_<KEY>`,
 * then from a variable named `vault:key` in the environment file, then asked for
 * (without echo) when a terminal is attached. The value is never printed.
 */
export async function secretSetting(
  map: VariableMap,
  name: string,
  fallback: string,
  env: Record<string, string | undefined>,
  ask: ((prompt: string) => Promise<string>) | undefined,
): Promise<string> {
  const raw = map.get(name)?.trim() || fallback;
  const key = vaultKeyOf(raw);
  if (key === undefined) {
    const value = resolveTemplate(map, name, raw);
    if (value === '') throw new CliError('SECRET_MISSING', `"${name}" is empty. Set it in the collection or the environment file.`, EXIT.input);
    return value;
  }
  const envName = vaultEnvName(key);
  const fromEnv = env[envName];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const fromVariable = map.get('vault:' + key);
  if (fromVariable !== undefined && fromVariable !== '' && vaultKeyOf(fromVariable) === undefined) return fromVariable;
  if (ask) {
    const answer = (await ask(`${name} (vault secret "${key}"): `)).trim();
    if (answer !== '') return answer;
  }
  throw new CliError(
    'SECRET_MISSING',
    `no value for the vault secret "${key}" (used by "${name}"). Set the environment variable ${envName}, or run login in a terminal to be asked for it.`,
    EXIT.input,
    { setting: name, vaultKey: key },
  );
}
