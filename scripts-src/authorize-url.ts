import { formEncode } from './form.ts';

export interface AuthorizeUrlParams {
  authorizeUrl: string;
  /** `code` (authorization code, PKCE) or `token` (implicit). */
  responseType: 'code' | 'token';
  clientId: string;
  redirectUri: string;
  state: string;
  scope: string | undefined;
  audience: string | undefined;
  /** S256 challenge; PKCE only (RFC 7636 section 4.3). */
  codeChallenge: string | undefined;
}

/**
 * The authorization request URL (RFC 6749 sections 4.1.1 and 4.2.1, RFC 7636
 * section 4.3): the endpoint with the parameters appended to any query it already
 * has, form-encoded, and any `#fragment` of the endpoint dropped (section 3.1
 * forbids one). Built by hand: Newman's sandbox has no `URL`.
 */
export function buildAuthorizeUrl(params: AuthorizeUrlParams): string {
  const base = params.authorizeUrl.replace(/#.*$/, '');
  const query = formEncode([
    ['response_type', params.responseType],
    ['client_id', params.clientId],
    ['redirect_uri', params.redirectUri],
    ['scope', params.scope],
    ['audience', params.audience],
    ['state', params.state],
    ['code_challenge', params.codeChallenge],
    ['code_challenge_method', params.codeChallenge === undefined ? undefined : 'S256'],
  ]);
  const separator = base.indexOf('?') < 0 ? '?' : /[?&]$/.test(base) ? '' : '&';
  return base + separator + query;
}
