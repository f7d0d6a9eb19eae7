import { HELP_OPTION, parseCommandArgs, renderHelp, stringOption, type CommandSpec } from '../args.ts';
import { CliError, EXIT } from '../errors.ts';
import type { CommandIO } from '../io.ts';
import { CONTROL_PREFIX } from '../mock/handlers.ts';
import { startMockServer, type RunningMock } from '../mock/server.ts';
import { DEFAULT_TOKEN_LIFETIME, DEMO_CLIENT, DEMO_USER, MockState } from '../mock/state.ts';
import { addDemoUserClients, DEMO_REDIRECT_URIS } from '../mock/user-clients.ts';

export const mockServerSpec: CommandSpec = {
  name: 'mock-server',
  summary:
    'Serves a mock of the Genesys Cloud login and API hosts on loopback: POST /oauth/token, GET/POST /oauth/authorize (HTML sign-in form), GET/DELETE /api/v2/tokens/me, GET /api/v2/users/me and an authenticated echo for other /api/v2 paths.',
  usage: 'postman-oauth-kit mock-server [--port <n>] [options]',
  options: [
    { name: 'port', short: 'p', type: 'string', value: '<n>', description: 'Port to listen on (default 8089; 0 picks a free one).' },
    { name: 'host', type: 'string', value: '<addr>', description: 'Loopback address to bind: 127.0.0.1 (default) or ::1.' },
    { name: 'token-lifetime', type: 'string', value: '<seconds>', description: `Lifetime of issued tokens (default ${DEFAULT_TOKEN_LIFETIME}).` },
    { name: 'client-id', type: 'string', value: '<id>', description: `Client id the mock accepts (default ${DEMO_CLIENT.id}).` },
    { name: 'client-secret', type: 'string', value: '<secret>', description: 'Client secret the mock accepts (default: the demo secret in the README).' },
    HELP_OPTION,
  ],
  details: [
    `Control endpoints for tests: GET ${CONTROL_PREFIX}/stats, GET ${CONTROL_PREFIX}/log, POST ${CONTROL_PREFIX}/reset, POST ${CONTROL_PREFIX}/revoke, GET/POST ${CONTROL_PREFIX}/scenario (fault injection, see docs/resilience.md).`,
    'Point a collection at it with: newman run <collection> --env-var oauth_token_url=http://127.0.0.1:8089/oauth/token --env-var baseUrl=http://127.0.0.1:8089',
  ],
};

function whole(option: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) {
    throw new CliError('INVALID_OPTION_VALUE', `--${option} "${value}" must be a whole number from ${min} to ${max}.`, EXIT.usage);
  }
  return n;
}

/** Starts the mock from command-line arguments; `mockServerCommand` keeps it running. */
export async function startMockFromArgs(argv: string[], io: CommandIO): Promise<RunningMock | undefined> {
  const { values } = parseCommandArgs(mockServerSpec, argv);
  if (values['help']) {
    io.stdout(renderHelp(mockServerSpec));
    return undefined;
  }
  const host = stringOption(values, 'host') ?? '127.0.0.1';
  if (!['127.0.0.1', '::1', 'localhost'].includes(host)) {
    throw new CliError('NOT_LOOPBACK', `--host "${host}" is not a loopback address; the mock only binds 127.0.0.1 or ::1.`, EXIT.usage);
  }
  const port = whole('port', stringOption(values, 'port'), 8089, 0, 65535);
  const lifetime = whole('token-lifetime', stringOption(values, 'token-lifetime'), DEFAULT_TOKEN_LIFETIME, 1, 315360000);
  const state = new MockState({ tokenLifetimeSeconds: lifetime });
  state.clients.clear();
  state.addClient({
    id: stringOption(values, 'client-id') ?? DEMO_CLIENT.id,
    secret: stringOption(values, 'client-secret') ?? DEMO_CLIENT.secret,
    name: 'Mock client',
    grants: ['client_credentials'],
    tokenLifetimeSeconds: lifetime,
  });
  addDemoUserClients(state, lifetime);
  try {
    const mock = await startMockServer({ state, port, host: host === 'localhost' ? '127.0.0.1' : host });
    io.stdout(
      `mock Genesys Cloud login and API server on ${mock.origin}\n` +
        `  token URL: ${mock.tokenUrl}\n` +
        `  API base:  ${mock.origin}/api/v2\n` +
        `  client id: ${[...state.clients.keys()].join(', ')} (token lifetime ${lifetime} s)\n` +
        `  authorize URL: ${mock.origin}/oauth/authorize (user ${DEMO_USER.username}; redirect URIs ${DEMO_REDIRECT_URIS.join(', ')})\n`,
    );
    return mock;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new CliError('PORT_IN_USE', `port ${port} is already in use. Pass --port <n> (or --port 0 for a free one).`, EXIT.failed);
    }
    throw error;
  }
}

/** `postman-oauth-kit mock-server`: runs until SIGINT/SIGTERM. */
export async function mockServerCommand(argv: string[], io: CommandIO): Promise<number> {
  const mock = await startMockFromArgs(argv, io);
  if (!mock) return EXIT.ok;
  io.stdout('press Ctrl+C to stop\n');
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await mock.close();
  io.stdout(`stopped; ${JSON.stringify(mock.state.stats())}\n`);
  return EXIT.ok;
}
