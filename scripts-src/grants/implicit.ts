import { OAuthKitError } from '../errors.ts';
import type { TokenSet } from '../token-response.ts';
import { MAX_EXPIRES_IN } from '../token-response.ts';

/**
 * Turns the fragment of an implicit-grant redirect (RFC 6749 section 4.2.2) into
 * a token set. Fragment values are text, so `expires_in` must be digits; the
 * implicit grant never issues a refresh token (section 4.2.2).
 */
export function implicitTokenSet(fragment: {
  accessToken: string;
  tokenType: string | undefined;
  expiresIn: string | undefined;
  scope: string | undefined;
}): TokenSet {
  if (fragment.tokenType !== undefined && fragment.tokenType.toLowerCase() !== 'bearer') {
    throw new OAuthKitError('TOKEN_RESPONSE_INVALID', `the sign-in #fragment "token_type" must be "bearer" (got "${fragment.tokenType}").`, {
      field: 'token_type',
    });
  }
  let expiresIn: number | undefined;
  if (fragment.expiresIn !== undefined) {
    const n = Number(fragment.expiresIn);
    if (!/^\d+$/.test(fragment.expiresIn) || n <= 0 || n > MAX_EXPIRES_IN) {
      throw new OAuthKitError(
        'TOKEN_RESPONSE_INVALID',
        `the sign-in #fragment "expires_in" must be a whole number of seconds from 1 to ${MAX_EXPIRES_IN} (got "${fragment.expiresIn}").`,
        { field: 'expires_in' },
      );
    }
    expiresIn = n;
  }
  return { accessToken: fragment.accessToken, tokenType: 'bearer', expiresIn, refreshToken: undefined, scope: fragment.scope };
}
