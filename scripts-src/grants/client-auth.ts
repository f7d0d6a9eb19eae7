import { base64FromString } from '../base64.ts';
import { formEncode, formEncodeComponent } from '../form.ts';
import type { TokenHttpRequest } from '../http.ts';

/** Same values as `ClientAuthMethod` in config.ts; declared here so the CLI can import this file without the sandbox types. */
export type ClientAuth = 'basic' | 'post';

/** `client_secret_basic` (RFC 6749 section 2.3.1), as client-credentials.ts builds it. */
function basicAuthorization(clientId: string, clientSecret: string): string {
  return 'Basic ' + base64FromString(formEncodeComponent(clientId) + ':' + formEncodeComponent(clientSecret));
}

/** The client as it authenticates at the token endpoint. */
export interface TokenClient {
  tokenUrl: string;
  clientId: string;
  /** `undefined` for a public client (PKCE): it only identifies itself with `client_id`. */
  clientSecret: string | undefined;
  clientAuth: ClientAuth;
}

/**
 * A token request with client authentication applied: a confidential client uses
 * `client_secret_basic` or `client_secret_post` (RFC 6749 section 2.3.1); a public
 * client sends only `client_id` in the body (sections 3.2.1 and 4.1.3).
 */
export function tokenRequest(client: TokenClient, pairs: Array<[string, string | undefined]>): TokenHttpRequest {
  const headers: Record<string, string> = {
    'Content-Type': 'application/x-www-form-urlencoded',
    Accept: 'application/json',
  };
  const body = pairs.slice();
  if (client.clientSecret === undefined) {
    body.push(['client_id', client.clientId]);
  } else if (client.clientAuth === 'basic') {
    headers['Authorization'] = basicAuthorization(client.clientId, client.clientSecret);
  } else {
    body.push(['client_id', client.clientId], ['client_secret', client.clientSecret]);
  }
  return { method: 'POST', url: client.tokenUrl, headers, body: formEncode(body) };
}
