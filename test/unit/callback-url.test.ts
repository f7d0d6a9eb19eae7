import { describe, expect, it } from 'vitest';
import { parseCallbackUrl, readCallback } from '../../scripts-src/callback-url.ts';
import { OAuthKitError } from '../../scripts-src/errors.ts';

function caught(fn: () => unknown): OAuthKitError {
  try {
    fn();
  } catch (error) {
    if (error instanceof OAuthKitError) return error;
    throw error;
  }
  throw new Error('expected an OAuthKitError');
}

describe('parsing a pasted redirect address', () => {
  it('reads code and state from Postman\'s callback page URL', () => {
    expect(readCallback('https://oauth.pstmn.io/v1/callback?code=abc%2F123&state=s%2Bt+u', 'code')).toEqual({
      kind: 'code',
      code: 'abc/123',
      state: 's+t u',
    });
  });

  it('reads an implicit token from the fragment, with surrounding whitespace', () => {
    expect(
      readCallback('  https://oauth.pstmn.io/v1/callback#access_token=tok.en-1&token_type=bearer&expires_in=86399&state=xyz\n', 'token'),
    ).toEqual({ kind: 'token', accessToken: 'tok.en-1', tokenType: 'bearer', expiresIn: '86399', scope: undefined, state: 'xyz' });
  });

  it('accepts just the query, just the fragment, or bare parameters', () => {
    expect(readCallback('?code=c1&state=s1', 'code')).toEqual({ kind: 'code', code: 'c1', state: 's1' });
    expect(readCallback('code=c2&state=s2', 'code')).toEqual({ kind: 'code', code: 'c2', state: 's2' });
    expect(readCallback('#access_token=t3&state=s3', 'token')).toMatchObject({ accessToken: 't3', state: 's3' });
  });

  it('keeps query and fragment apart and takes the first of repeated keys', () => {
    expect(parseCallbackUrl('http://127.0.0.1:8765/callback?a=1&a=2&empty=&flag#b=x%20y')).toEqual({
      query: { a: '1', empty: '', flag: '' },
      fragment: { b: 'x y' },
    });
  });

  it('an error redirect in the query (code flow) names error and error_description', () => {
    const error = caught(() =>
      readCallback('https://oauth.pstmn.io/v1/callback?error=access_denied&error_description=The+user+denied+access&state=s', 'code'),
    );
    expect(error.code).toBe('SIGN_IN_FAILED');
    expect(error.message).toBe('the sign-in failed: the authorization server redirected with error "access_denied" (The user denied access).');
    expect(error.cause).toEqual({ error: 'access_denied', error_description: 'The user denied access' });
  });

  it('an error redirect in the fragment (implicit), without a description', () => {
    expect(caught(() => readCallback('https://oauth.pstmn.io/v1/callback#error=unauthorized_client&state=s', 'token')).message).toBe(
      'the sign-in failed: the authorization server redirected with error "unauthorized_client".',
    );
  });

  it('an address without parameters says what to paste', () => {
    const error = caught(() => readCallback('https://oauth.pstmn.io/v1/callback', 'code'));
    expect(error.code).toBe('CALLBACK_INVALID');
    expect(error.message).toBe(
      '"oauth_callback_url" has no query or #fragment parameters. Paste the whole address the browser was redirected to after signing in, e.g. https://oauth.pstmn.io/v1/callback?code=...&state=...',
    );
  });

  it('a code flow redirect without code, and an implicit one without access_token', () => {
    expect(caught(() => readCallback('https://x.test/cb?state=s', 'code')).message).toBe(
      '"oauth_callback_url" has no "code" parameter. Paste the address the browser was redirected to after signing in, which looks like https://oauth.pstmn.io/v1/callback?code=...&state=...',
    );
    expect(caught(() => readCallback('https://x.test/cb?code=c&state=s', 'token')).message).toBe(
      '"oauth_callback_url" has no "access_token" parameter. For the implicit grant paste the whole address including its #fragment, which looks like https://oauth.pstmn.io/v1/callback#access_token=...&expires_in=...&state=...',
    );
  });

  it('broken percent-encoding names the parameter', () => {
    expect(caught(() => readCallback('https://x.test/cb?code=%E0%A4%A&state=s', 'code')).message).toBe(
      '"oauth_callback_url" has invalid percent-encoding in the parameter "code". Paste the whole address from the browser\'s address bar again.',
    );
  });

  it('a missing state is reported as undefined for the caller to reject', () => {
    expect(readCallback('https://x.test/cb?code=c', 'code')).toEqual({ kind: 'code', code: 'c', state: undefined });
  });
});
