import { describe, expect, it } from 'vitest';
import { OAuthKitError } from '../../scripts-src/errors.ts';
import { MAX_EXPIRES_IN, processTokenResponse } from '../../scripts-src/token-response.ts';

const ADVICE = 'The server sent no usable token: check that "oauth_token_url" is the OAuth token endpoint and that the provider is healthy.';

const ok = (body: string, status = 200, type = 'application/json') => ({ status, headers: { 'content-type': type }, body });
const json = (value: unknown, status = 200) => ok(JSON.stringify(value), status);

function failure(response: ReturnType<typeof ok>): OAuthKitError {
  try {
    processTokenResponse(response);
  } catch (error) {
    expect(error).toBeInstanceOf(OAuthKitError);
    return error as OAuthKitError;
  }
  throw new Error('expected processTokenResponse to throw');
}

describe('processTokenResponse (RFC 6749 section 5.1/5.2)', () => {
  it('accepts a Genesys client credentials response', () => {
    expect(processTokenResponse(json({ access_token: 'abc', token_type: 'bearer', expires_in: 86399 }))).toEqual({
      accessToken: 'abc',
      tokenType: 'bearer',
      expiresIn: 86399,
      refreshToken: undefined,
      scope: undefined,
    });
  });

  it('keeps token_type, scope and refresh_token; expires_in may be absent', () => {
    expect(processTokenResponse(json({ access_token: 'a', token_type: 'Bearer', scope: 'x y', refresh_token: 'r' }))).toEqual({
      accessToken: 'a',
      tokenType: 'Bearer',
      expiresIn: undefined,
      refreshToken: 'r',
      scope: 'x y',
    });
    expect(processTokenResponse(json({ access_token: 'a' })).tokenType).toBe('bearer');
  });

  const ladder: Array<[string, ReturnType<typeof ok>, string, string]> = [
    ['HTML', ok('<html>login</html>', 200, 'text/html'), 'TOKEN_RESPONSE_INVALID', '"token response" body is not valid JSON (HTTP 200, content-type text/html). Check "oauth_token_url" points at the token endpoint.'],
    ['truncated JSON', ok('{"access_token": "ab'), 'TOKEN_RESPONSE_INVALID', '"token response" body is not valid JSON (HTTP 200, content-type application/json). Check "oauth_token_url" points at the token endpoint.'],
    ['null', ok('null'), 'TOKEN_RESPONSE_INVALID', '"token response" body must be a JSON object. ' + ADVICE],
    ['an array', json([{ access_token: 'a' }]), 'TOKEN_RESPONSE_INVALID', '"token response" body must be a JSON object. ' + ADVICE],
    ['a string', json('token'), 'TOKEN_RESPONSE_INVALID', '"token response" body must be a JSON object. ' + ADVICE],
    ['no access_token', json({ token_type: 'bearer' }), 'TOKEN_RESPONSE_INVALID', '"token response" body "access_token" must be a non-empty string. ' + ADVICE],
    ['empty access_token', json({ access_token: '' }), 'TOKEN_RESPONSE_INVALID', '"token response" body "access_token" must be a non-empty string. ' + ADVICE],
    ['numeric access_token', json({ access_token: 42 }), 'TOKEN_RESPONSE_INVALID', '"token response" body "access_token" must be a non-empty string. ' + ADVICE],
    ['token_type mac', json({ access_token: 'a', token_type: 'mac' }), 'TOKEN_RESPONSE_INVALID', '"token response" body "token_type" must be "bearer" (got "mac"). ' + ADVICE],
    ['token_type number', json({ access_token: 'a', token_type: 1 }), 'TOKEN_RESPONSE_INVALID', '"token response" body "token_type" must be a string. ' + ADVICE],
    ['expires_in string', json({ access_token: 'a', expires_in: '3600' }), 'TOKEN_RESPONSE_INVALID', '"token response" body "expires_in" must be a number. ' + ADVICE],
    ['expires_in zero', json({ access_token: 'a', expires_in: 0 }), 'TOKEN_RESPONSE_INVALID', '"token response" body "expires_in" must be a positive number. ' + ADVICE],
    ['expires_in negative', json({ access_token: 'a', expires_in: -5 }), 'TOKEN_RESPONSE_INVALID', '"token response" body "expires_in" must be a positive number. ' + ADVICE],
    ['expires_in absurd', json({ access_token: 'a', expires_in: MAX_EXPIRES_IN + 1 }), 'TOKEN_RESPONSE_INVALID', `"token response" body "expires_in" must be at most ${MAX_EXPIRES_IN} seconds. ${ADVICE}`],
    ['refresh_token number', json({ access_token: 'a', refresh_token: 7 }), 'TOKEN_RESPONSE_INVALID', '"token response" body "refresh_token" must be a non-empty string. ' + ADVICE],
    ['scope array', json({ access_token: 'a', scope: ['a'] }), 'TOKEN_RESPONSE_INVALID', '"token response" body "scope" must be a string. ' + ADVICE],
    [
      'Genesys invalid_client',
      json({ error: 'invalid_client', description: 'authentication failed', error_description: 'authentication failed' }, 401),
      'TOKEN_ENDPOINT_ERROR',
      'the token endpoint refused the request: HTTP 401 invalid_client (authentication failed). Check the client id and client secret, and "oauth_client_auth" (basic or post).',
    ],
    [
      'unsupported_grant_type',
      json({ error: 'unsupported_grant_type', error_description: 'nope' }, 400),
      'TOKEN_ENDPOINT_ERROR',
      'the token endpoint refused the request: HTTP 400 unsupported_grant_type (nope). Check "oauth_grant" and the grant types the OAuth client allows.',
    ],
    ['an error code without description', json({ error: 'server_error' }, 500), 'TOKEN_ENDPOINT_ERROR', 'the token endpoint refused the request: HTTP 500 server_error.'],
    ['an error body with HTTP 200', json({ error: 'invalid_scope' }), 'TOKEN_ENDPOINT_ERROR', 'the token endpoint refused the request: HTTP 200 invalid_scope. Check "oauth_scope" against the scopes the OAuth client may request.'],
    ['a 502 HTML page', ok('<html>Bad gateway</html>', 502, 'text/html'), 'TOKEN_ENDPOINT_ERROR', 'the token endpoint answered HTTP 502 without an OAuth error body. Check "oauth_token_url" and that the server is up.'],
  ];

  it.each(ladder)('rejects %s with an exact message', (_name, response, code, message) => {
    const error = failure(response);
    expect(error.code).toBe(code);
    expect(error.message).toBe(message);
  });

  it('names the field in the structured cause', () => {
    expect(failure(json({ access_token: 'a', expires_in: 'x' })).cause).toEqual({ field: 'expires_in' });
    expect(failure(json({ error: 'invalid_client', error_description: 'd' }, 401)).cause).toEqual({
      status: 401,
      error: 'invalid_client',
      error_description: 'd',
    });
  });

  it('never quotes the response body, which could echo credentials', () => {
    const echoed = ok('<html>client_secret=hunter2-secret</html>', 200, 'text/html');
    expect(failure(echoed).message).not.toContain('hunter2');
    const error = failure(ok('{"error_code": "client_secret=hunter2-secret"}', 400));
    expect(error.message).not.toContain('hunter2');
  });
});
