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
  retryAttempts: 'oauth_retry_attempts',
  retryBaseDelay: 'oauth_retry_base_delay',
  retryMaxDelay: 'oauth_retry_max_delay',
  retryAfterCap: 'oauth_retry_after_cap',
  retryOn401: 'oauth_retry_on_401',
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
  retryAttempts: 4,
  retryBaseDelaySeconds: 0.5,
  retryMaxDelaySeconds: 8,
  retryAfterCapSeconds: 30,
  retryOn401: true,
  /** Postman's own callback page, which the app's OAuth helper also uses. */
  redirectUri: 'https://oauth.pstmn.io/v1/callback',
  username: '{{vault:oauth-username}}',
  password: '{{vault:oauth-password}}',
} as const;

/**
 * Local (per-run, never persisted) variable guarding the 401 re-run: holds
 * `<iteration>:<request id>` of the request being re-run.
 */
export const RETRY_401_GUARD = 'oauth_401_rerun';

/**
 * Local variable that is "true" while the user's own test scripts look at a 401
 * response the post-response script is about to re-run, and "" otherwise. Tests
 * can skip their assertions on it: `if (pm.variables.get('oauth_rerun_scheduled') !== 'true') { ... }`.
 */
export const RERUN_SCHEDULED = 'oauth_rerun_scheduled';

/**
 * Local (per-run) variable remembering the last token request the server refused
 * for good (4xx, invalid response): `<hash of the request> <code> <message>`, so
 * later requests of the run fail at once instead of repeating the call.
 */
export const REFUSED_MEMO = 'oauth_refused';
