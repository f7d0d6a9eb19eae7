/**
 * Keeps secrets and access tokens out of the files a run writes. Newman's JSON
 * reporter records the whole run summary: every environment value (the vault
 * secrets and `--env-var` values included), request headers (the Basic client
 * credentials and every Bearer token) and response bodies (the token endpoint's
 * `access_token`, as a byte array) and, for a request whose own request was
 * skipped, the token request's form (the authorization `code`, `code_verifier`,
 * `refresh_token`, `password`). The sanitiser replaces each known value, in
 * its raw, URL-encoded, form-encoded, HTML-escaped and byte-array forms, with
 * `[redacted]`.
 */
import { SECRET_PARAMETERS } from '../scripts-src/redact.ts';

export const REDACTED = '[redacted]';

/** Variable names whose values are treated as secrets wherever they come from. */
const SECRET_NAME = /^vault:|(secret|password|passwd|api[-_]?key|(access|refresh|id)[-_]?token|verifier)$/i;

/** Credential parameters of a form body or URL (RFC 6749 sections 4.1-6, RFC 7636 section 4.5). */
const CREDENTIAL_PARAMETER = new Set(SECRET_PARAMETERS);

/** True when a variable with this name (or Postman type) holds a secret. */
export function isSecretVariable(key: string, type?: unknown): boolean {
  return type === 'secret' || SECRET_NAME.test(key);
}

function htmlEscape(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Collects secret values and redacts them from report content. */
export class ReportSanitiser {
  private readonly values = new Set<string>();
  private sorted: string[] | undefined;

  /** Adds a value to redact. */
  add(value: unknown): void {
    if (typeof value !== 'string') return;
    const trimmed = value.trim();
    // Short values would match everywhere; a {{reference}} is not a secret itself.
    if (trimmed.length < 4 || /^\{\{[^{}]+\}\}$/.test(trimmed)) return;
    for (const form of [trimmed, encodeURIComponent(trimmed), encodeURIComponent(trimmed).replace(/%20/g, '+'), htmlEscape(trimmed)]) {
      if (!this.values.has(form)) {
        this.values.add(form);
        this.sorted = undefined;
      }
    }
  }

  /** Adds the credential of an `Authorization` header value (`Bearer x`, `Basic x`, or the whole value). */
  addAuthorization(header: unknown): void {
    if (typeof header !== 'string') return;
    const match = /^\s*(?:bearer|basic)\s+(\S+)\s*$/i.exec(header);
    this.add(match ? match[1] : header);
  }

  /** Adds `access_token`, `refresh_token` and `id_token` of a token endpoint response body. */
  addTokenResponse(body: unknown): void {
    if (typeof body !== 'string' || !body.includes('token')) return;
    try {
      const parsed = JSON.parse(body) as Record<string, unknown>;
      if (parsed && typeof parsed === 'object') {
        for (const name of ['access_token', 'refresh_token', 'id_token']) this.add(parsed[name]);
      }
    } catch {
      // not JSON: nothing to learn from it
    }
  }

  /**
   * Adds the credential parameters (`code`, `code_verifier`, `refresh_token`,
   * `password`, `client_secret`, `access_token`, ...) of a form-encoded body
   * (`a=1&b=2`) or of a URL's query and #fragment, e.g. a pasted
   * `oauth_callback_url`: the authorization code and the implicit token are
   * secrets no variable name marks.
   */
  addFormCredentials(text: unknown): void {
    if (typeof text !== 'string' || !text.includes('=')) return;
    const hash = text.indexOf('#');
    const query = text.indexOf('?');
    const parts =
      hash >= 0 || query >= 0
        ? [query >= 0 ? text.slice(query + 1, hash > query ? hash : undefined) : '', hash >= 0 ? text.slice(hash + 1) : '']
        : [text];
    for (const part of parts) {
      for (const [key, value] of new URLSearchParams(part)) if (CREDENTIAL_PARAMETER.has(key)) this.add(value);
    }
  }

  get size(): number {
    return this.values.size;
  }

  /** Replaces every known secret in a string. */
  redactText(text: string): string {
    if (this.values.size === 0) return text;
    this.sorted ??= [...this.values].sort((a, b) => b.length - a.length);
    let out = text;
    for (const secret of this.sorted) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return out;
  }

  /** Redacts strings and Node Buffer byte arrays (`{type: 'Buffer', data: [...]}`) anywhere in a JSON value. */
  redactValue(value: unknown): unknown {
    if (typeof value === 'string') return this.redactText(value);
    if (Array.isArray(value)) return value.map((v) => this.redactValue(v));
    if (value && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      if (record['type'] === 'Buffer' && Array.isArray(record['data'])) {
        const text = Buffer.from(record['data'] as number[]).toString('utf8');
        const redacted = this.redactText(text);
        return redacted === text ? value : { type: 'Buffer', data: [...Buffer.from(redacted, 'utf8')] };
      }
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(record)) out[k] = this.redactValue(v);
      return out;
    }
    return value;
  }

  /** Redacts a report's content: a JSON text (re-serialised as newman does), any other text, or an object. */
  redactContent(content: unknown): unknown {
    if (typeof content === 'string') {
      const trimmed = content.trimStart();
      if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
        try {
          return JSON.stringify(this.redactValue(JSON.parse(content)), null, 2);
        } catch {
          // not JSON after all: plain text redaction below
        }
      }
      return this.redactText(content);
    }
    if (Buffer.isBuffer(content)) return Buffer.from(this.redactText(content.toString('utf8')), 'utf8');
    return this.redactValue(content);
  }
}
