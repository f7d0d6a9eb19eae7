import { setupServer } from 'msw/node';
import { createHandlers, TOKEN_GRANTS } from './mock/handlers.ts';
import { MockState } from './mock/state.ts';

export interface RunMock {
  state: MockState;
  /** `vault:` variables with mock values for the vault keys nobody supplied. */
  placeholders: { key: string; value: string }[];
  close(): void;
}

type Variable = { key: string; value: unknown };

/** The last definition of `name` (later entries have higher precedence), with `{{references}}` resolved. */
function resolveVariable(variables: readonly Variable[], name: string, depth = 0): string | undefined {
  const found = [...variables].reverse().find((v) => v.key === name);
  if (!found || typeof found.value !== 'string') return undefined;
  if (depth > 5) return found.value;
  return found.value.replace(/\{\{([^{}]+)\}\}/g, (whole, inner: string) => resolveVariable(variables, inner.trim(), depth + 1) ?? whole);
}

/**
 * Starts the built-in mock login and API server in this process (MSW
 * `setupServer`), so a collection runs offline with its real hostnames. The
 * mock accepts the client id and secret the collection resolves to; vault keys
 * nobody supplied get mock values. Requests no mock handler matches fail
 * instead of reaching the network.
 */
export function startRunMock(input: { variables: readonly Variable[]; missingVaultKeys: readonly string[] }): RunMock {
  const placeholders = input.missingVaultKeys.map((key) => ({ key: `vault:${key}`, value: `mock-${key}` }));
  const variables = [...input.variables, ...placeholders];
  const clientId = resolveVariable(variables, 'oauth_client_id') ?? resolveVariable(variables, 'vault:oauth-client-id');
  const clientSecret = resolveVariable(variables, 'oauth_client_secret') ?? resolveVariable(variables, 'vault:oauth-client-secret');
  const state = new MockState();
  if (clientId !== undefined && !clientId.includes('{{')) {
    state.addClient({
      id: clientId,
      secret: clientSecret !== undefined && !clientSecret.includes('{{') ? clientSecret : undefined,
      name: 'run --mock client',
      grants: Object.keys(TOKEN_GRANTS),
    });
  }
  const server = setupServer(...createHandlers(state));
  server.listen({ onUnhandledRequest: 'error' });
  return { state, placeholders, close: () => server.close() };
}
