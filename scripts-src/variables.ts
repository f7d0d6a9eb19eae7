/**
 * Names of every variable the script reads or writes. Settings are collection
 * variables the builder adds (overridable from an environment or `--env-var`);
 * cache variables live in the token store scope (`oauth_token_store`).
 */
export const SETTING = {
  grant: 'oauth_grant',
  tokenUrl: 'oauth_token_url',
  clientId: 'oauth_client_id',
  clientSecret: 'oauth_client_secret',
  clientAuth: 'oauth_client_auth',
  scope: 'oauth_scope',
  audience: 'oauth_audience',
  refreshMargin: 'oauth_refresh_margin',
  defaultExpiresIn: 'oauth_default_expires_in',
  tokenStore: 'oauth_token_store',
  /** User-context grants (issue 3). */
  authorizeUrl: 'oauth_authorize_url',
  redirectUri: 'oauth_redirect_uri',
  usePkce: 'oauth_use_pkce',
  username: 'oauth_username',
  password: 'oauth_password',
  /** Where the user pastes the address the browser was redirected to after signing in. */
  callbackUrl: 'oauth_callback_url',
} as const;

export const CACHE = {
  accessToken: 'oauth_access_token',
  expiresAt: 'oauth_token_expires_at',
  obtainedAt: 'oauth_token_obtained_at',
  fingerprint: 'oauth_token_fingerprint',
  /** Refresh token of the user-context grants; cleared with the access token. */
  refreshToken: 'oauth_refresh_token',
  /** The sign-in in progress: `state` and PKCE verifier (local, unsynced current values). */
  pendingState: 'oauth_pending_state',
  pendingVerifier: 'oauth_pending_verifier',
} as const;

/** Defaults used when a setting is absent or empty. */
export const DEFAULTS = {
  grant: 'client_credentials',
  clientId: '{{vault:oauth-client-id}}',
  clientSecret: '{{vault:oauth-client-secret}}',
  clientAuth: 'basic',
  refreshMarginSeconds: 60,
  defaultExpiresInSeconds: 3600,
  tokenStore: 'collection',
  /** Postman's own callback page, which the app's OAuth helper also uses. */
  redirectUri: 'https://oauth.pstmn.io/v1/callback',
  username: '{{vault:oauth-username}}',
  password: '{{vault:oauth-password}}',
} as const;
