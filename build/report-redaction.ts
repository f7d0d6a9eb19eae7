import { redact, REDACTED } from '../scripts-src/redact.ts';

/** Variable names whose values are secrets in any scope newman reports. */
const SECRET_VARIABLE = /^vault:|secret|password|token|refresh|code_verifier|assertion/i;
/** Request and response headers that carry credentials. */
const SECRET_HEADER = /^(authorization|proxy-authorization|cookie|set-cookie)$/i;

function isBuffer(value: Record<string, unknown>): value is { type: 'Buffer'; data: number[] } {
  return value['type'] === 'Buffer' && Array.isArray(value['data']);
}

function walk(value: unknown, secrets: string[]): unknown {
  if (typeof value === 'string') return redact(value, secrets);
  if (Array.isArray(value)) return value.map((v) => walk(v, secrets));
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  if (isBuffer(object)) {
    const text = Buffer.from(object.data).toString('utf8');
    const clean = redact(text, secrets);
    return clean === text ? object : { type: 'Buffer', data: [...Buffer.from(clean, 'utf8')] };
  }
  const out: Record<string, unknown> = {};
  const key = typeof object['key'] === 'string' ? object['key'] : undefined;
  for (const [name, inner] of Object.entries(object)) {
    if (name === 'value' && key !== undefined && SECRET_VARIABLE.test(key) && typeof inner === 'string' && inner !== '') {
      out[name] = REDACTED;
    } else if (name === 'value' && key !== undefined && SECRET_HEADER.test(key) && typeof inner === 'string') {
      out[name] = inner.replace(/^(\S+\s+)?.*$/, (_m, scheme: string | undefined) => `${scheme ?? ''}${REDACTED}`);
    } else {
      out[name] = walk(inner, secrets);
    }
  }
  return out;
}

/**
 * Newman's JSON reporter (`-r json`) writes every variable scope (so any
 * `--global-var`/`--env-var` secret), every request's headers (the bearer token)
 * and every `pm.sendRequest` body (the token request). No sandbox script can stop
 * that, so a report that leaves the machine must go through this first: values of
 * secret-named variables, credential headers, the given `secrets` and anything
 * credential-shaped (see scripts-src/redact.ts) become `[redacted]`, also inside
 * response bodies newman stores as byte arrays. Returns a new object.
 */
export function redactNewmanReport<T>(report: T, secrets: string[] = []): T {
  return walk(report, secrets) as T;
}
