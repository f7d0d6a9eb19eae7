/**
 * The `oauth_` collection variables the builder writes: the script's settings
 * (see scripts-src/variables.ts) plus the token variable the collection's
 * bearer auth refers to. Descriptions show in the Postman app's variable editor.
 */
export interface SettingSpec {
  key: string;
  description: string;
  /** Value used when neither a flag nor the existing collection sets one. */
  fallback: string;
}

export const ACCESS_TOKEN_VARIABLE = 'oauth_access_token';

export const SETTINGS: readonly SettingSpec[] = [
  {
    key: 'oauth_grant',
    fallback: 'client_credentials',
    description:
      'OAuth 2.0 grant the pre-request script uses: client_credentials, authorization_code, pkce, implicit or password. Change it here to switch; no rebuild needed (docs/grants.md).',
  },
  {
    key: 'oauth_token_url',
    fallback: '',
    description: 'Token endpoint; may use {{variables}}, e.g. https://login.{{environment}}/oauth/token.',
  },
  {
    key: 'oauth_client_id',
    fallback: '{{vault:oauth-client-id}}',
    description: 'OAuth client id, or a {{vault:key}} reference read from Postman Vault (newman: --env-var "vault:key=...").',
  },
  {
    key: 'oauth_client_secret',
    fallback: '{{vault:oauth-client-secret}}',
    description: 'A {{vault:key}} reference to the client secret. Never put the secret itself here.',
  },
  {
    key: 'oauth_client_auth',
    fallback: 'basic',
    description: 'How the client authenticates to the token endpoint: basic (Authorization header) or post (form body).',
  },
  { key: 'oauth_scope', fallback: '', description: 'Space-separated scopes to request; empty for the client default.' },
  { key: 'oauth_audience', fallback: '', description: 'Optional audience parameter some providers require; empty to omit.' },
  {
    key: 'oauth_refresh_margin',
    fallback: '60',
    description: 'Seconds before expiry to fetch a new token (capped at 10% of the token lifetime).',
  },
  {
    key: 'oauth_default_expires_in',
    fallback: '3600',
    description: 'Lifetime in seconds assumed when the token response has no expires_in.',
  },
  {
    key: 'oauth_token_store',
    fallback: 'collection',
    description: 'Where the token is cached: collection (collection variables, this run only in newman) or environment (reused across runs with newman -e <env> --export-environment <env>; the token is then stored in that environment file).',
  },
  {
    key: 'oauth_retry_attempts',
    fallback: '4',
    description: 'Token endpoint tries in all (1-10) for 5xx (not 501), 429 and network errors; OAuth errors are never retried.',
  },
  {
    key: 'oauth_retry_base_delay',
    fallback: '0.5',
    description: 'Seconds before the first retry; doubles each retry, with jitter.',
  },
  {
    key: 'oauth_retry_max_delay',
    fallback: '8',
    description: 'Longest wait in seconds between two retries.',
  },
  {
    key: 'oauth_retry_after_cap',
    fallback: '30',
    description: 'Longest Retry-After wait in seconds honoured on HTTP 429; a longer one fails at once.',
  },
  {
    key: 'oauth_retry_on_401',
    fallback: 'true',
    description: 'true: a request answered 401 with the cached token drops it and is re-run once (collection runs); false: only drop the token.',
  },
  {
    key: 'oauth_authorize_url',
    fallback: '',
    description: 'Authorization endpoint for authorization_code, pkce and implicit, e.g. https://login.{{environment}}/oauth/authorize.',
  },
  {
    key: 'oauth_redirect_uri',
    fallback: 'https://oauth.pstmn.io/v1/callback',
    description: 'Redirect URI registered for the OAuth client; the browser lands here after signing in. Postman\'s callback page by default.',
  },
  {
    key: 'oauth_use_pkce',
    fallback: 'false',
    description: 'authorization_code only: true adds a PKCE (S256) challenge. The pkce grant always uses PKCE.',
  },
  {
    key: 'oauth_username',
    fallback: '{{vault:oauth-username}}',
    description: 'password grant only: the user name, or a {{vault:key}} reference.',
  },
  {
    key: 'oauth_password',
    fallback: '{{vault:oauth-password}}',
    description: 'password grant only: a {{vault:key}} reference to the password. Never put the password itself here.',
  },
  {
    key: 'oauth_callback_url',
    fallback: '',
    description: 'After signing in, paste the whole address the browser was redirected to here (…?code=…&state=… or …#access_token=…) and send again; the script clears it.',
  },
  {
    key: ACCESS_TOKEN_VARIABLE,
    fallback: '',
    description: 'Set by the postman-oauth-kit pre-request script; the collection auth sends it as a bearer token. Do not edit.',
  },
];
