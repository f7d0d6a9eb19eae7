import { promises as fs } from 'node:fs';
import path from 'node:path';
import { CliError, EXIT } from './errors.ts';
import { injectSpec } from './commands/inject.ts';
import { validateInjectOptions, type InjectOptions } from './inject.ts';
import { parseJsonText, readTextFile } from './json-file.ts';

/** The file `inject` reads from the current folder when no `--config` is given. */
export const CONFIG_FILE_NAME = 'postman-oauth-kit.config.json';

type Kind = 'string' | 'boolean';

/** `inject` options that are about files, not about the build: never in the config file. */
const NOT_IN_CONFIG = new Set(['output', 'in-place', 'config', 'help']);

function camel(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

let keys: Record<string, { flag: string; kind: Kind; option: keyof InjectOptions }> | undefined;

/**
 * Keys of the config file: every `inject` flag (but -o, --in-place, --config)
 * in camelCase, taken from the command's own option table so the two cannot
 * drift. Computed on first use: commands/inject.ts imports this module.
 */
export function configKeys(): Record<string, { flag: string; kind: Kind; option: keyof InjectOptions }> {
  keys ??= Object.fromEntries(
    injectSpec.options
      .filter((o) => !NOT_IN_CONFIG.has(o.name))
      .map((o) => [camel(o.name), { flag: o.name, kind: o.type, option: camel(o.name) as keyof InjectOptions }]),
  );
  return keys;
}

export interface LoadedConfig {
  /** The file as the user named it (or the default name). */
  file: string;
  options: InjectOptions;
}

function configError(file: string, message: string, extra: Record<string, unknown> = {}): CliError {
  return new CliError('INVALID_CONFIG', `${file}: ${message}`, EXIT.usage, { file, ...extra });
}

function closest(key: string): string | undefined {
  const lower = key.toLowerCase().replace(/[-_]/g, '');
  return Object.keys(configKeys()).find((k) => k.toLowerCase() === lower);
}

/** Validates a parsed config file and turns it into inject options; errors name the file and key. */
export function configOptions(data: unknown, file: string): InjectOptions {
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    throw configError(file, `the config must be a JSON object such as {"provider": "genesys", "region": "mypurecloud.ie"} (got ${Array.isArray(data) ? 'an array' : data === null ? 'null' : typeof data}).`);
  }
  const options: InjectOptions = {};
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    if (key === '$schema' || key.startsWith('//')) continue;
    const spec = configKeys()[key];
    if (!spec) {
      const hint = closest(key);
      throw configError(
        file,
        `unknown key "${key}"${hint ? `; did you mean "${hint}"?` : '.'} Keys: ${Object.keys(configKeys()).join(', ')}.`,
        { key },
      );
    }
    if (spec.kind === 'boolean') {
      if (typeof value !== 'boolean') throw configError(file, `"${key}" must be true or false (got ${JSON.stringify(value)}).`, { key });
      (options as Record<string, unknown>)[spec.option] = value;
      continue;
    }
    if (key === 'refreshMargin' && typeof value === 'number') {
      if (!Number.isInteger(value) || value < 0) throw configError(file, `"refreshMargin" must be a whole number of seconds, e.g. 60 (got ${value}).`, { key });
      options.refreshMargin = String(value);
      continue;
    }
    if (typeof value !== 'string') throw configError(file, `"${key}" must be a string (got ${JSON.stringify(value)}).`, { key });
    (options as Record<string, unknown>)[spec.option] = value;
  }
  try {
    // "region" alone is fine here: the provider may come from a flag (the merged options are validated again).
    validateInjectOptions(options.region !== undefined && options.provider === undefined ? { ...options, provider: 'genesys' } : options);
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    if (error.code === 'LITERAL_SECRET') {
      throw configError(
        file,
        '"clientSecret" holds a literal value, which would be written into the output collection. Use a vault reference such as "{{vault:oauth-client-secret}}" and store the secret in Postman Vault (postman-oauth-kit run: POSTMAN_VAULT_OAUTH_CLIENT_SECRET), or set "allowLiteralSecret": true if you really want it in the file.',
        { cause: error.code },
      );
    }
    // The shared validation names flags; in a config file, name the keys instead.
    let message = error.message;
    for (const [key, spec] of Object.entries(configKeys())) {
      message = message.replace(new RegExp(`--${spec.flag}(?![a-z-])`, 'g'), `"${key}"`);
    }
    throw configError(file, message, { cause: error.code });
  }
  return options;
}

/**
 * Loads the config for `inject`: the file given with `--config` (which must
 * exist), else `postman-oauth-kit.config.json` in the current folder when there
 * is one. Returns `undefined` when there is no config.
 */
export async function loadConfig(cwd: string, explicit: string | undefined): Promise<LoadedConfig | undefined> {
  let file = explicit;
  if (file === undefined) {
    try {
      await fs.access(path.join(cwd, CONFIG_FILE_NAME));
      file = CONFIG_FILE_NAME;
    } catch {
      return undefined;
    }
  }
  let text: string;
  try {
    text = await readTextFile(path.resolve(cwd, file));
  } catch (error) {
    if (error instanceof CliError && error.code === 'INPUT_NOT_FOUND') {
      throw new CliError('CONFIG_NOT_FOUND', `--config ${file} does not exist. Check the path.`, EXIT.usage, { file });
    }
    throw error;
  }
  return { file, options: configOptions(parseJsonText(text, file, 'Fix the file.'), file) };
}

/** Config values, overridden by every flag that was given (flags win). */
export function mergeOptions(config: InjectOptions | undefined, flags: InjectOptions): InjectOptions {
  const merged: InjectOptions = { ...(config ?? {}) };
  for (const [key, value] of Object.entries(flags) as [keyof InjectOptions, InjectOptions[keyof InjectOptions]][]) {
    if (value === undefined || value === false) continue;
    (merged as Record<string, unknown>)[key] = value;
  }
  return merged;
}
