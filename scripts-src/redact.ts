/**
 * The redaction layer every message, `pm.test` name and console line of the
 * script passes through. It removes
 * - the exact values the script knows are secret (client secret, tokens, codes,
 *   passwords: see `secretsOfRequest` and `SecretsSeen`), and
 * - anything that looks like a credential even when the script never saw it, e.g.
 *   a server echoing a token back: `key=value` and `"key": "value"` pairs of
 *   credential parameters (RFC 6749 sections 4.1-6, RFC 7636 section 4.5),
 *   `Bearer`/`Basic` credentials (RFC 6750 section 2.1, RFC 7617), JWTs
 *   (RFC 7519) and long opaque token-like strings.
 */

export const REDACTED = '[redacted]';

/** Parameters whose values are credentials wherever they appear. */
export const SECRET_PARAMETERS: readonly string[] = [
  'access_token',
  'refresh_token',
  'id_token',
  'client_secret',
  'password',
  'code',
  'code_verifier',
  'assertion',
  'client_assertion',
];

const NAMES = SECRET_PARAMETERS.join('|');
const QUERY_PAIR = new RegExp(`(^|[^A-Za-z0-9_])(${NAMES})=([^&\\s"'<>]+)`, 'gi');
const JSON_PAIR = new RegExp(`"(${NAMES})"(\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'gi');
const AUTH_SCHEME = /\b(Bearer|Basic)(\s+)[A-Za-z0-9._~+/=-]{6,}/gi;
const JWT = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
const OPAQUE = /[A-Za-z0-9_-]{32,}/g;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Swaps each `shown` substring for a placeholder, so no redaction pass can touch it. */
function protect(text: string, shown: ReadonlyArray<string>): { text: string; restore: (t: string) => string } {
  const kept: string[] = [];
  let out = text;
  for (const value of shown) {
    if (value.length === 0) continue;
    out = out.split(value).join(`\u0000${kept.length}\u0000`);
    kept.push(value);
  }
  return { text: out, restore: (t) => (kept.length ? t.replace(/\u0000(\d+)\u0000/g, (_m, i: string) => kept[Number(i)] ?? '') : t) };
}

function patterns(text: string): string {
  return text
    .replace(JSON_PAIR, (_m, name: string, colon: string) => `"${name}"${colon}"${REDACTED}"`)
    .replace(QUERY_PAIR, (_m, before: string, name: string) => `${before}${name}=${REDACTED}`)
    .replace(AUTH_SCHEME, (_m, scheme: string, space: string) => `${scheme}${space}${REDACTED}`)
    .replace(JWT, REDACTED)
    .replace(OPAQUE, (m) => (/[0-9]/.test(m) && /[A-Za-z]/.test(m) && !UUID.test(m) ? REDACTED : m));
}

/**
 * Replaces credential-shaped parts of `text`, without knowing any secret value.
 * `shown` lists exact substrings that must survive (the authorization URL a user is
 * asked to open: its `state` and `code_challenge` look like tokens but are public).
 */
export function redactPatterns(text: string, shown: ReadonlyArray<string> = []): string {
  const p = protect(text, shown);
  return p.restore(patterns(p.text));
}

/**
 * Replaces every occurrence of each known secret in `text` with `[redacted]`,
 * then anything credential-shaped (`redactPatterns`). Values shorter than 4
 * characters are left alone: redacting them would garble every message.
 */
export function redact(
  text: string,
  secrets: ReadonlyArray<string | undefined> = [],
  shown: ReadonlyArray<string> = [],
): string {
  const p = protect(text, shown);
  let out = p.text;
  const sorted = secrets
    .filter((s): s is string => typeof s === 'string' && s.length >= 4)
    .sort((a, b) => b.length - a.length);
  for (const secret of sorted) {
    out = out.split(secret).join(REDACTED);
    // A server may echo the value form- or URL-encoded.
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) out = out.split(encoded).join(REDACTED);
  }
  return p.restore(patterns(out));
}
