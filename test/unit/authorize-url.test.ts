import { describe, expect, it } from 'vitest';
import { buildAuthorizeUrl } from '../../scripts-src/authorize-url.ts';

const base = {
  clientId: 'client id/1',
  redirectUri: 'https://oauth.pstmn.io/v1/callback',
  state: 'st4te_-',
  scope: undefined,
  audience: undefined,
  codeChallenge: undefined,
};

describe('authorization request URL (RFC 6749 4.1.1, 4.2.1; RFC 7636 4.3)', () => {
  it('PKCE: code, client, redirect, state, S256 challenge, form-encoded', () => {
    expect(
      buildAuthorizeUrl({
        ...base,
        authorizeUrl: 'https://login.mypurecloud.ie/oauth/authorize',
        responseType: 'code',
        scope: 'users:readonly conversations',
        codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      }),
    ).toBe(
      'https://login.mypurecloud.ie/oauth/authorize?response_type=code&client_id=client+id%2F1&redirect_uri=https%3A%2F%2Foauth.pstmn.io%2Fv1%2Fcallback&scope=users%3Areadonly+conversations&state=st4te_-&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256',
    );
  });

  it('implicit: response_type=token, no challenge, keeps an existing query, drops a fragment', () => {
    expect(
      buildAuthorizeUrl({ ...base, authorizeUrl: 'https://idp.test/authorize?tenant=a#frag', responseType: 'token', audience: 'api://x' }),
    ).toBe(
      'https://idp.test/authorize?tenant=a&response_type=token&client_id=client+id%2F1&redirect_uri=https%3A%2F%2Foauth.pstmn.io%2Fv1%2Fcallback&audience=api%3A%2F%2Fx&state=st4te_-',
    );
  });

  it('an endpoint ending in ? or & gets no extra separator', () => {
    expect(buildAuthorizeUrl({ ...base, authorizeUrl: 'https://idp.test/authorize?', responseType: 'code' })).toMatch(
      /^https:\/\/idp\.test\/authorize\?response_type=code&/,
    );
    expect(buildAuthorizeUrl({ ...base, authorizeUrl: 'https://idp.test/authorize?a=1&', responseType: 'code' })).toMatch(
      /^https:\/\/idp\.test\/authorize\?a=1&response_type=code&/,
    );
  });
});
