import { DEFAULT_LOGIN_PORT } from '../commands/login.ts';
import type { MockClient, MockState } from './state.ts';

/** Redirect URIs the demo user-grant clients accept: Postman's callback page and `login`'s default listener. */
export const DEMO_REDIRECT_URIS = ['https://oauth.pstmn.io/v1/callback', `http://127.0.0.1:${DEFAULT_LOGIN_PORT}/callback`];

/**
 * OAuth clients for trying the user-context grants against `mock-server`, set
 * up as a Genesys Cloud admin would: a confidential "Code Authorization" client,
 * a public PKCE client (no refresh token, as Genesys), an implicit client and a
 * password-grant client (a generic provider; Genesys has no password grant).
 */
export const DEMO_USER_CLIENTS: ReadonlyArray<Partial<MockClient> & { id: string }> = [
  { id: 'demo-code-client', secret: 'demo-code-secret', name: 'Demo code authorization client', grants: ['authorization_code', 'refresh_token'], refreshTokens: 'rotating' },
  { id: 'demo-pkce-client', secret: undefined, name: 'Demo PKCE client', grants: ['authorization_code'], refreshTokens: 'none' },
  { id: 'demo-implicit-client', secret: undefined, name: 'Demo implicit client', grants: ['implicit'], refreshTokens: 'none' },
  { id: 'demo-password-client', secret: 'demo-password-secret', name: 'Demo password client', grants: ['password', 'refresh_token'], refreshTokens: 'static' },
];

export function addDemoUserClients(state: MockState, lifetimeSeconds: number, redirectUris: string[] = DEMO_REDIRECT_URIS): void {
  for (const client of DEMO_USER_CLIENTS) state.addClient({ ...client, grants: [...(client.grants ?? [])], redirectUris, tokenLifetimeSeconds: lifetimeSeconds });
}
