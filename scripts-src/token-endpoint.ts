import type { TokenHttpRequest } from './http.ts';
import type { Sandbox } from './sandbox.ts';
import { processTokenResponse, type TokenSet } from './token-response.ts';

/**
 * The one way every grant calls a token endpoint: send the request, validate
 * the response (RFC 6749 section 5.1/5.2). Retry and back-off policy belongs here.
 */
export async function callTokenEndpoint(sandbox: Sandbox, request: TokenHttpRequest): Promise<TokenSet> {
  const response = await sandbox.send(request);
  return processTokenResponse(response);
}
