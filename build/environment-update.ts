import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { CliError, EXIT } from './errors.ts';
import { detectIndent, parseJsonText, readTextFile, writeFileAtomic } from './json-file.ts';

type Json = Record<string, unknown>;

/** Keys whose values are credentials: marked `secret` so the Postman app masks them. */
const SECRET_KEYS = new Set(['oauth_access_token', 'oauth_refresh_token', 'oauth_pending_verifier']);

/** The file's current text, or `undefined` when it does not exist yet. */
async function existing(file: string): Promise<string | undefined> {
  try {
    await fs.access(file);
  } catch {
    return undefined;
  }
  return readTextFile(file);
}

/** Reads a Postman environment file; a missing file is an empty environment. */
export async function readEnvironmentFile(file: string): Promise<{ data: Json; text: string | undefined }> {
  const text = await existing(file);
  if (text === undefined) {
    const name = path.basename(file).replace(/(\.postman_environment)?\.json$/i, '');
    return {
      data: { id: randomUUID(), name, values: [], _postman_variable_scope: 'environment' },
      text: undefined,
    };
  }
  const data = parseJsonText(text, file);
  if (data === null || typeof data !== 'object' || Array.isArray(data) || !Array.isArray((data as Json)['values'])) {
    throw new CliError(
      'NOT_AN_ENVIRONMENT',
      `${file} is not a Postman environment (it has no "values" array). Give an environment file exported from Postman, or a new file name to create one.`,
      EXIT.input,
      { file },
    );
  }
  return { data: data as Json, text };
}

/**
 * Sets `updates` in a Postman environment file and writes it atomically,
 * owner-only (mode 0600): every other key and property stays as it was.
 */
export async function updateEnvironmentFile(file: string, updates: Record<string, string>): Promise<void> {
  const { data, text } = await readEnvironmentFile(file);
  const values = data['values'] as unknown[];
  for (const [key, value] of Object.entries(updates)) {
    const entry = values.find((v): v is Json => v !== null && typeof v === 'object' && (v as Json)['key'] === key);
    if (entry) {
      entry['value'] = value;
      entry['enabled'] = true;
    } else {
      values.push({ key, value, type: SECRET_KEYS.has(key) ? 'secret' : 'default', enabled: true });
    }
  }
  const indent = text === undefined ? '\t' : detectIndent(text);
  await writeFileAtomic(file, JSON.stringify(data, null, indent) + '\n', 0o600);
}
