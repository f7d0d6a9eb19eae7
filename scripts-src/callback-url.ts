import { OAuthKitError } from './errors.ts';
import { SETTING } from './variables.ts';

/** Parameters of a redirect URL: its query and its `#fragment`, each decoded. */
export interface CallbackParams {
  query: Record<string, string>;
  fragment: Record<string, string>;
}

/** What a successful sign-in redirect carried. */
export type CallbackResult =
  | { kind: 'code'; code: string; state: string | undefined }
  | {
      kind: 'token';
      accessToken: string;
      tokenType: string | undefined;
      /** Raw `expires_in` text; validated by the implicit grant. */
      expiresIn: string | undefined;
      scope: string | undefined;
      state: string | undefined;
    };

const WHERE = `"${SETTING.callbackUrl}"`;

function decodePairs(text: string, label: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (text === '') return out;
  for (const part of text.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const rawKey = eq < 0 ? part : part.slice(0, eq);
    const rawValue = eq < 0 ? '' : part.slice(eq + 1);
    let key: string;
    let value: string;
    try {
      key = decodeURIComponent(rawKey.replace(/\+/g, ' '));
      value = decodeURIComponent(rawValue.replace(/\+/g, ' '));
    } catch {
      throw new OAuthKitError(
        'CALLBACK_INVALID',
        `${label} has invalid percent-encoding in the parameter "${rawKey}". Paste the whole address from the browser's address bar again.`,
        { parameter: rawKey },
      );
    }
    if (!(key in out)) out[key] = value;
  }
  return out;
}

/**
 * Splits a pasted redirect address into decoded query and fragment parameters
 * (RFC 6749 sections 4.1.2 and 4.2.2, form encoding per Appendix B). Accepts a
 * whole URL, or just `?query`, `#fragment` or `key=value&...`. Written by hand:
 * Newman's sandbox has no `URL` or `URLSearchParams`.
 */
export function parseCallbackUrl(input: string, label: string = WHERE): CallbackParams {
  const text = input.trim();
  const hash = text.indexOf('#');
  const beforeHash = hash < 0 ? text : text.slice(0, hash);
  const fragmentText = hash < 0 ? '' : text.slice(hash + 1);
  const question = beforeHash.indexOf('?');
  let queryText: string;
  if (question >= 0) queryText = beforeHash.slice(question + 1);
  else if (/^[^/:?#\s]+=/.test(beforeHash)) queryText = beforeHash;
  else queryText = '';
  const result = { query: decodePairs(queryText, label), fragment: decodePairs(fragmentText, label) };
  if (Object.keys(result.query).length === 0 && Object.keys(result.fragment).length === 0) {
    throw new OAuthKitError(
      'CALLBACK_INVALID',
      `${label} has no query or #fragment parameters. Paste the whole address the browser was redirected to after signing in, e.g. https://oauth.pstmn.io/v1/callback?code=...&state=...`,
    );
  }
  return result;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/**
 * Reads the outcome of a sign-in from a redirect address. An `error` redirect
 * (RFC 6749 sections 4.1.2.1 and 4.2.2.1) becomes `SIGN_IN_FAILED` naming the
 * server's `error` and `error_description`. Does not check `state`: the caller
 * compares it with the one it sent.
 */
export function readCallback(input: string, responseType: 'code' | 'token', label: string = WHERE): CallbackResult {
  const { query, fragment } = parseCallbackUrl(input, label);
  // Implicit answers in the fragment, code flows in the query; accept either place.
  const primary = responseType === 'token' ? fragment : query;
  const secondary = responseType === 'token' ? query : fragment;
  const get = (name: string) => nonEmpty(primary[name]) ?? nonEmpty(secondary[name]);
  const error = get('error');
  if (error !== undefined) {
    const description = get('error_description');
    throw new OAuthKitError(
      'SIGN_IN_FAILED',
      `the sign-in failed: the authorization server redirected with error "${error}"${description ? ` (${description})` : ''}.`,
      { error, error_description: description },
    );
  }
  const state = get('state');
  if (responseType === 'code') {
    const code = get('code');
    if (code === undefined) {
      throw new OAuthKitError(
        'CALLBACK_INVALID',
        `${label} has no "code" parameter. Paste the address the browser was redirected to after signing in, which looks like https://oauth.pstmn.io/v1/callback?code=...&state=...`,
        { parameter: 'code' },
      );
    }
    return { kind: 'code', code, state };
  }
  const accessToken = get('access_token');
  if (accessToken === undefined) {
    throw new OAuthKitError(
      'CALLBACK_INVALID',
      `${label} has no "access_token" parameter. For the implicit grant paste the whole address including its #fragment, which looks like https://oauth.pstmn.io/v1/callback#access_token=...&expires_in=...&state=...`,
      { parameter: 'access_token' },
    );
  }
  return {
    kind: 'token',
    accessToken,
    tokenType: get('token_type'),
    expiresIn: get('expires_in'),
    scope: get('scope'),
    state,
  };
}
