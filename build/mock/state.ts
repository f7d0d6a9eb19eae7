import { randomBytes } from 'node:crypto';
import { FaultPlan } from './faults.ts';

/** An OAuth client the mock login server knows. */
export interface MockClient {
  id: string;
  /** `undefined` for public (PKCE) clients. */
  secret: string | undefined;
  name: string;
  /** Grant types the client may use, as Genesys configures them per client. */
  grants: string[];
  /** Token lifetime in seconds (Genesys: 300 to 172800, set per client). */
  tokenLifetimeSeconds: number;
  /** Registered redirect URIs (exact match, as Genesys checks them); user grants only. */
  redirectUris?: string[];
  /**
   * Refresh tokens this client gets with user grants: `static` (the same one is
   * reused), `rotating` (each refresh returns a new one and retires the old) or
   * `none`. Default: `static` for confidential clients, `none` for public ones
   * (Genesys issues no refresh token to PKCE clients).
   */
  refreshTokens?: 'static' | 'rotating' | 'none';
}

/** A user who can sign in on the mock's authorization page. */
export interface MockUser {
  id: string;
  username: string;
  password: string;
}

/** An authorization code the mock issued (RFC 6749 section 4.1.2): single use, short-lived. */
export interface AuthorizationCode {
  value: string;
  clientId: string;
  userId: string;
  redirectUri: string;
  codeChallenge: string | undefined;
  codeChallengeMethod: string | undefined;
  issuedAt: number;
  used: boolean;
  /** Access tokens issued for this code: revoked when the code is replayed (section 4.1.2). */
  tokenValues: string[];
}

/** A refresh token the mock issued. */
export interface RefreshTokenRecord {
  /** Short, non-secret handle ("r1", ...). */
  id: string;
  value: string;
  clientId: string;
  userId: string;
  revoked: boolean;
}

/** The user every mock starts with, documented in docs/grants.md. */
export const DEMO_USER: MockUser = { id: 'mock-user-id', username: 'demo.user@example.com', password: 'demo-user-password' };

/** Lifetime of an authorization code (Genesys: a few minutes). */
export const CODE_LIFETIME_MS = 5 * 60 * 1000;

/** A token the mock issued. The API side checks every bearer against these. */
export interface IssuedToken {
  /** Short, non-secret handle for logs and assertions ("t1", "t2", ...). */
  id: string;
  value: string;
  clientId: string;
  grant: string;
  issuedAt: number;
  expiresAt: number;
  revoked: boolean;
}

/** One request the mock saw; never holds a credential or a token value. */
export interface LogEntry {
  at: number;
  kind: 'token' | 'api' | 'other';
  method: string;
  host: string;
  path: string;
  status: number;
  grant?: string;
  /** Handle of the token the request carried (API) or received (token). */
  tokenId?: string;
  error?: string;
}

export interface MockOptions {
  clients?: MockClient[];
  /** Default token lifetime for clients that do not set one; Genesys' default is 86399 s. */
  tokenLifetimeSeconds?: number;
  now?: () => number;
}

/** Credentials of the client every mock starts with, documented in the README. */
export const DEMO_CLIENT = {
  id: 'demo-client-id',
  secret: 'demo-client-secret',
} as const;

export const DEFAULT_TOKEN_LIFETIME = 86399;

/** Mutable state shared by the mock's handlers: clients, issued tokens, counters, log. */
export class MockState {
  readonly clients = new Map<string, MockClient>();
  readonly tokens = new Map<string, IssuedToken>();
  readonly log: LogEntry[] = [];
  /** Injected faults (tests, `POST /__mock/scenario`); empty = a healthy server. */
  readonly faults = new FaultPlan();
  tokenLifetimeSeconds: number;
  now: () => number;
  private nextTokenId = 1;
  /** User-context grants (issue 3). */
  readonly users = new Map<string, MockUser>([[DEMO_USER.username, DEMO_USER]]);
  readonly codes = new Map<string, AuthorizationCode>();
  readonly refreshTokens = new Map<string, RefreshTokenRecord>();
  /** Successful sign-ins on the authorization page. */
  signIns = 0;
  private nextRefreshId = 1;

  constructor(options: MockOptions = {}) {
    this.tokenLifetimeSeconds = options.tokenLifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME;
    this.now = options.now ?? (() => Date.now());
    const clients = options.clients ?? [
      {
        id: DEMO_CLIENT.id,
        secret: DEMO_CLIENT.secret,
        name: 'Demo client credentials client',
        grants: ['client_credentials'],
        tokenLifetimeSeconds: this.tokenLifetimeSeconds,
      },
    ];
    for (const client of clients) this.clients.set(client.id, client);
  }

  /** Adds or replaces a client. */
  addClient(client: Partial<MockClient> & { id: string }): MockClient {
    const full: MockClient = {
      secret: undefined,
      name: client.id,
      grants: ['client_credentials'],
      tokenLifetimeSeconds: this.tokenLifetimeSeconds,
      ...client,
    };
    this.clients.set(full.id, full);
    return full;
  }

  issueToken(client: MockClient, grant: string): IssuedToken {
    const issuedAt = this.now();
    const token: IssuedToken = {
      id: `t${this.nextTokenId++}`,
      value: randomBytes(48).toString('base64url'),
      clientId: client.id,
      grant,
      issuedAt,
      expiresAt: issuedAt + client.tokenLifetimeSeconds * 1000,
      revoked: false,
    };
    this.tokens.set(token.value, token);
    return token;
  }

  /** The live token behind a bearer value, or why there is none. */
  checkToken(value: string): { token: IssuedToken } | { reason: 'unknown' | 'expired' | 'revoked' } {
    const token = this.tokens.get(value);
    if (!token) return { reason: 'unknown' };
    if (token.revoked) return { reason: 'revoked' };
    if (this.now() >= token.expiresAt) return { reason: 'expired' };
    return { token };
  }

  /** Revokes every token issued so far (or those of one client). */
  revokeAll(clientId?: string): number {
    let n = 0;
    for (const token of this.tokens.values()) {
      if (!token.revoked && (clientId === undefined || token.clientId === clientId)) {
        token.revoked = true;
        n++;
      }
    }
    return n;
  }

  /** A single-use authorization code for a signed-in user. */
  issueCode(fields: Omit<AuthorizationCode, 'value' | 'issuedAt' | 'used' | 'tokenValues'>): AuthorizationCode {
    const code: AuthorizationCode = { ...fields, value: randomBytes(24).toString('base64url'), issuedAt: this.now(), used: false, tokenValues: [] };
    this.codes.set(code.value, code);
    return code;
  }

  /** How `client` gets refresh tokens (see `MockClient.refreshTokens`). */
  refreshMode(client: MockClient): 'static' | 'rotating' | 'none' {
    return client.refreshTokens ?? (client.secret === undefined ? 'none' : 'static');
  }

  issueRefreshToken(client: MockClient, userId: string): RefreshTokenRecord {
    const record: RefreshTokenRecord = {
      id: `r${this.nextRefreshId++}`,
      value: randomBytes(32).toString('base64url'),
      clientId: client.id,
      userId,
      revoked: false,
    };
    this.refreshTokens.set(record.value, record);
    return record;
  }

  /** Revokes every refresh token (a logout or password change at Genesys does this). */
  revokeRefreshTokens(): number {
    let n = 0;
    for (const record of this.refreshTokens.values()) {
      if (!record.revoked) {
        record.revoked = true;
        n++;
      }
    }
    return n;
  }

  record(entry: Omit<LogEntry, 'at'>): void {
    this.log.push({ at: this.now(), ...entry });
  }

  /** Counters tests assert on. */
  stats() {
    const tokenCalls = this.log.filter((e) => e.kind === 'token');
    const apiCalls = this.log.filter((e) => e.kind === 'api');
    const byGrant: Record<string, number> = {};
    for (const e of tokenCalls) if (e.grant) byGrant[e.grant] = (byGrant[e.grant] ?? 0) + 1;
    return {
      tokenCalls: tokenCalls.length,
      tokensIssued: tokenCalls.filter((e) => e.status === 200).length,
      tokenCallsByGrant: byGrant,
      apiCalls: apiCalls.length,
      apiUnauthorized: apiCalls.filter((e) => e.status === 401).length,
    };
  }

  /** Forgets tokens, the log and any fault scenario; clients stay. */
  reset(): void {
    this.faults.clear();
    this.tokens.clear();
    this.log.length = 0;
    this.nextTokenId = 1;
    this.codes.clear();
    this.refreshTokens.clear();
    this.signIns = 0;
    this.nextRefreshId = 1;
  }
}
