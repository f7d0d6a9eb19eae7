import { base64FromString } from '../base64.ts';
import type { ClientAuthMethod } from '../config.ts';
import { formEncode, formEncodeComponent } from '../form.ts';
import type { TokenHttpRequest } from '../http.ts';

export interface ClientCredentialsParams {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  clientAuth: ClientAuthMethod;
  scope: string | undefined;
  audience: string | undefined;
}

/**
 * `client_secret_basic` (RFC 6749 section 2.3.1): id and secret are each
 * form-urlencoded, joined by a colon and base64-encoded.
 */
export function basicAuthorization(clientId: string, clientSecret: string): string {
  return 'Basic ' + base64FromString(formEncodeComponent(clientId) + ':' + formEncodeComponent(clientSecret));
}

/** Token request of the client credentials grant (RFC 6749 section 4.4.2). */
export function buildClientCredentialsRequest(params: ClientCredentialsParams): TokenHttpRequest {
  const headers: Record<string, string> = {
    'Content-Type': 'application/x-www-form-urlencoded',
    Accept: 'application/json',
  };
  const pairs: Array<[string, string | undefined]> = [
    ['grant_type', 'client_credentials'],
    ['scope', params.scope],
    ['audience', params.audience],
  ];
  if (params.clientAuth === 'basic') {
    headers['Authorization'] = basicAuthorization(params.clientId, params.clientSecret);
  } else {
    pairs.push(['client_id', params.clientId], ['client_secret', params.clientSecret]);
  }
  return { method: 'POST', url: params.tokenUrl, headers, body: formEncode(pairs) };
}
