import { OAuthKitError } from './errors.ts';
import type { TokenHttpResponse } from './http.ts';

/** A validated successful token response (RFC 6749 section 5.1). */
export interface TokenSet {
  accessToken: string;
  tokenType: string;
  /** Seconds; `undefined` when the server did not say. */
  expiresIn: number | undefined;
  refreshToken: string | undefined;
  scope: string | undefined;
}

/** Ten years: any longer `expires_in` is treated as a server fault. */
export const MAX_EXPIRES_IN = 315_360_000;

const WHERE = '"token response" body';

const INVALID_ADVICE = 'The server sent no usable token: check that "oauth_token_url" is the OAuth token endpoint and that the provider is healthy.';

function invalid(message: string, field?: string): OAuthKitError {
  const full = /\.$/.test(message) ? message : `${message}. ${INVALID_ADVICE}`;
  return new OAuthKitError('TOKEN_RESPONSE_INVALID', full, field ? { field } : {});
}

function oauthError(status: number, body: Record<string, unknown>): OAuthKitError {
  const error = typeof body['error'] === 'string' ? body['error'] : 'unknown_error';
  const description =
    typeof body['error_description'] === 'string'
      ? body['error_description']
      : typeof body['description'] === 'string'
        ? body['description']
        : undefined;
  const advice = ADVICE[error] ?? '';
  return new OAuthKitError(
    'TOKEN_ENDPOINT_ERROR',
    `the token endpoint refused the request: HTTP ${status} ${error}${description ? ` (${description})` : ''}.${advice ? ' ' + advice : ''}`,
    { status, error, error_description: description },
  );
}

/** What to do for each RFC 6749 section 5.2 error code. */
const ADVICE: Record<string, string> = {
  invalid_client: 'Check the client id and client secret, and "oauth_client_auth" (basic or post).',
  unauthorized_client: 'Allow this grant type for the OAuth client on the authorization server.',
  unsupported_grant_type: 'Check "oauth_grant" and the grant types the OAuth client allows.',
  invalid_scope: 'Check "oauth_scope" against the scopes the OAuth client may request.',
  invalid_request: 'Check the token URL and the oauth_ settings.',
};

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return SyntaxError;
  }
}

/**
 * Validates a token endpoint response and returns the token set, or throws an
 * `OAuthKitError` naming the exact field at fault. Error responses (RFC 6749
 * section 5.2) become `TOKEN_ENDPOINT_ERROR` with the server's `error` and
 * `error_description`; the response body itself is never quoted (it could echo
 * credentials).
 */
export function processTokenResponse(response: TokenHttpResponse): TokenSet {
  const { status } = response;
  const parsed = parseJson(response.body);
  const isObject = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed);
  if (isObject && typeof (parsed as Record<string, unknown>)['error'] === 'string') {
    throw oauthError(status, parsed as Record<string, unknown>);
  }
  if (status < 200 || status > 299) {
    throw new OAuthKitError(
      'TOKEN_ENDPOINT_ERROR',
      `the token endpoint answered HTTP ${status} without an OAuth error body. Check "oauth_token_url" and that the server is up.`,
      { status },
    );
  }
  if (parsed === SyntaxError) {
    const type = response.headers['content-type'];
    throw invalid(`${WHERE} is not valid JSON (HTTP ${status}${type ? `, content-type ${type}` : ''}). Check "oauth_token_url" points at the token endpoint.`);
  }
  if (!isObject) throw invalid(`${WHERE} must be a JSON object`);
  const body = parsed as Record<string, unknown>;

  const accessToken = body['access_token'];
  if (typeof accessToken !== 'string' || accessToken === '') {
    throw invalid(`${WHERE} "access_token" must be a non-empty string`, 'access_token');
  }

  const tokenType = body['token_type'];
  if (tokenType !== undefined && typeof tokenType !== 'string') {
    throw invalid(`${WHERE} "token_type" must be a string`, 'token_type');
  }
  if (typeof tokenType === 'string' && tokenType.toLowerCase() !== 'bearer') {
    throw invalid(`${WHERE} "token_type" must be "bearer" (got "${tokenType}")`, 'token_type');
  }

  const expiresIn = body['expires_in'];
  if (expiresIn !== undefined && expiresIn !== null) {
    if (typeof expiresIn !== 'number' || !isFinite(expiresIn)) {
      throw invalid(`${WHERE} "expires_in" must be a number`, 'expires_in');
    }
    if (expiresIn <= 0) throw invalid(`${WHERE} "expires_in" must be a positive number`, 'expires_in');
    if (expiresIn > MAX_EXPIRES_IN) {
      throw invalid(`${WHERE} "expires_in" must be at most ${MAX_EXPIRES_IN} seconds`, 'expires_in');
    }
  }

  const refreshToken = body['refresh_token'];
  if (refreshToken !== undefined && refreshToken !== null && (typeof refreshToken !== 'string' || refreshToken === '')) {
    throw invalid(`${WHERE} "refresh_token" must be a non-empty string`, 'refresh_token');
  }
  const scope = body['scope'];
  if (scope !== undefined && scope !== null && typeof scope !== 'string') {
    throw invalid(`${WHERE} "scope" must be a string`, 'scope');
  }

  return {
    accessToken,
    tokenType: typeof tokenType === 'string' ? tokenType : 'bearer',
    expiresIn: typeof expiresIn === 'number' ? expiresIn : undefined,
    refreshToken: typeof refreshToken === 'string' ? refreshToken : undefined,
    scope: typeof scope === 'string' ? scope : undefined,
  };
}
