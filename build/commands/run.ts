import path from 'node:path';
import type { NewmanRunOptions, NewmanRunSummary } from 'newman';
import { loadNewman } from '../newman-run.ts';
import { HELP_OPTION, parseCommandArgs, renderHelp, stringOption, type CommandSpec, type Parsed } from '../args.ts';
import { CliError, EXIT, PREFIX } from '../errors.ts';
import { collectionVersion } from '../inject.ts';
import type { CommandIO } from '../io.ts';
import { parseJsonText, readTextFile } from '../json-file.ts';
import { startRunMock, type RunMock } from '../run-mock.ts';
import { isSecretVariable, ReportSanitiser } from '../report-sanitiser.ts';
import { extractReporterOptions, keyValues, reporterNames, wholeNumber } from '../run-options.ts';
import { credentialSettingsUnusedBy, missingSecretsError, readVaultEnvFile, referencedVaultKeys, supplyVaultSecrets, vaultEnvName } from '../vault-env.ts';

export const runSpec: CommandSpec = {
  name: 'run',
  summary:
    'Runs a collection with newman, with vault secrets from the environment and reports free of secrets. Newman runs as a library (same reporters, exit codes and options); each {{vault:<key>}} is read from POSTMAN_VAULT_<KEY> in the process environment instead of the command line, and no report it writes contains a secret or an access token.',
  usage: 'postman-oauth-kit run <collection.json> [options]',
  options: [
    { name: 'environment', short: 'e', type: 'string', value: '<file>', description: 'Postman environment file.' },
    { name: 'globals', short: 'g', type: 'string', value: '<file>', description: 'Postman globals file.' },
    { name: 'iteration-data', short: 'd', type: 'string', value: '<file>', description: 'CSV or JSON data file, one iteration per row.' },
    { name: 'iteration-count', short: 'n', type: 'string', value: '<n>', description: 'Number of iterations.' },
    { name: 'folder', type: 'string', value: '<name>', multiple: true, description: 'Run only this folder or request (repeatable).' },
    { name: 'env-var', type: 'string', value: '<key=value>', multiple: true, description: 'Set an environment variable (repeatable). Do not pass secrets here: use POSTMAN_VAULT_<KEY>.' },
    { name: 'global-var', type: 'string', value: '<key=value>', multiple: true, description: 'Set a global variable (repeatable).' },
    { name: 'vault-env-file', type: 'string', value: '<file>', description: 'Dotenv file of POSTMAN_VAULT_<KEY>=value lines; the process environment wins over it.' },
    { name: 'mock', type: 'boolean', description: 'Send every request to the built-in mock login and API server, in-process with the real hostnames kept (offline try-out).' },
    { name: 'reporters', short: 'r', type: 'string', value: '<names>', multiple: true, description: 'Comma-separated reporters: cli (default), json, junit, progress, emojitrain, or an installed newman-reporter-<name>.' },
    { name: 'reporter-json-export', type: 'string', value: '<file>', description: 'Where the json reporter writes (default newman/newman-run-report-<time>.json).' },
    { name: 'reporter-junit-export', type: 'string', value: '<file>', description: 'Where the junit reporter writes (default newman/newman-run-report-<time>.xml).' },
    { name: 'export-environment', type: 'string', value: '<file>', description: 'Write the final environment (vault secrets left out; a cached token stays, for reuse).' },
    { name: 'export-globals', type: 'string', value: '<file>', description: 'Write the final globals (vault secrets left out).' },
    { name: 'bail', type: 'boolean', description: 'Stop at the first failure.' },
    { name: 'suppress-exit-code', short: 'x', type: 'boolean', description: 'Exit 0 even when tests fail.' },
    { name: 'timeout', type: 'string', value: '<ms>', description: 'Time limit for the whole run.' },
    { name: 'timeout-request', type: 'string', value: '<ms>', description: 'Time limit per request (the token request included).' },
    { name: 'timeout-script', type: 'string', value: '<ms>', description: 'Time limit per script.' },
    { name: 'delay-request', type: 'string', value: '<ms>', description: 'Pause between requests.' },
    { name: 'insecure', short: 'k', type: 'boolean', description: 'Accept self-signed TLS certificates.' },
    { name: 'ignore-redirects', type: 'boolean', description: 'Do not follow 3xx redirects.' },
    { name: 'color', type: 'string', value: '<on|off|auto>', description: 'Colored cli output (default auto).' },
    { name: 'disable-unicode', type: 'boolean', description: 'Plain ASCII symbols in the cli reporter.' },
    HELP_OPTION,
  ],
  details: [
    'Vault secrets: every {{vault:<key>}} the collection or environment uses is read from the environment variable',
    'POSTMAN_VAULT_<KEY> (upper case, other characters to _), e.g. {{vault:gc-client-secret}} from POSTMAN_VAULT_GC_CLIENT_SECRET.',
    'Missing ones are listed by name before any request is sent (exit 2).',
    '',
    'Other reporter options pass through as in newman: --reporter-<name>-<option> [value], e.g. --reporter-htmlextra-export report.html.',
    '',
    'Examples:',
    '  POSTMAN_VAULT_OAUTH_CLIENT_ID=... POSTMAN_VAULT_OAUTH_CLIENT_SECRET=... postman-oauth-kit run api.oauth.postman_collection.json -e prod.postman_environment.json -r cli,junit --reporter-junit-export results.xml',
    '  postman-oauth-kit run genesys.oauth.postman_collection.json --mock',
  ],
};

type Json = Record<string, unknown>;

interface Scope {
  json: Json | undefined;
  values: { key: string; value: unknown; type?: unknown; enabled?: unknown }[];
}

/** Reads an environment or globals file given with -e / -g. */
async function readScopeFile(option: string, file: string | undefined, cwd: string): Promise<Scope> {
  if (file === undefined) return { json: undefined, values: [] };
  const data = parseJsonText(await readTextFile(path.resolve(cwd, file)), file);
  if (!data || typeof data !== 'object' || Array.isArray(data) || !Array.isArray((data as Json)['values'])) {
    throw new CliError(
      'NOT_AN_ENVIRONMENT',
      `${file} (--${option}) is not a Postman ${option === 'environment' ? 'environment' : 'globals'} file: it has no "values" array. Export it from Postman with "Export" on the ${option}.`,
      EXIT.input,
      { file },
    );
  }
  const values = ((data as Json)['values'] as unknown[]).filter(
    (v): v is Scope['values'][number] => !!v && typeof v === 'object' && typeof (v as Json)['key'] === 'string' && (v as Json)['enabled'] !== false,
  );
  return { json: data as Json, values };
}

function collectionVariables(collection: Json): Scope['values'] {
  const variables = Array.isArray(collection['variable']) ? (collection['variable'] as unknown[]) : [];
  return variables.filter((v): v is Scope['values'][number] => !!v && typeof v === 'object' && typeof (v as Json)['key'] === 'string');
}

function list(values: Parsed['values'], name: string): string[] {
  const value = values[name];
  return Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
}

/** `postman-oauth-kit run`: returns the exit code; never exits the process. */
export async function runCommand(argv: string[], io: CommandIO): Promise<number> {
  const { rest, reporter } = extractReporterOptions(argv);
  const { values, positionals } = parseCommandArgs(runSpec, rest);
  if (values['help']) {
    io.stdout(renderHelp(runSpec));
    return EXIT.ok;
  }
  if (positionals.length !== 1) {
    throw new CliError(
      positionals.length === 0 ? 'INPUT_REQUIRED' : 'TOO_MANY_INPUTS',
      positionals.length === 0
        ? 'give the collection file to run: postman-oauth-kit run <collection.json> [options]'
        : `give exactly one collection file (got ${positionals.length}: ${positionals.join(', ')}).`,
      EXIT.usage,
    );
  }
  const shown = positionals[0] as string;
  const color = stringOption(values, 'color');
  if (color !== undefined && !['on', 'off', 'auto'].includes(color)) {
    throw new CliError('INVALID_OPTION_VALUE', `--color "${color}" is not valid; use one of: on, off, auto.`, EXIT.usage);
  }
  const reporters = reporterNames(list(values, 'reporters'));
  for (const name of ['json', 'junit']) {
    const exportPath = stringOption(values, `reporter-${name}-export`);
    if (exportPath !== undefined) (reporter[name] ??= {})['export'] = exportPath;
  }
  const envVar = keyValues('env-var', list(values, 'env-var'));
  const globalVar = keyValues('global-var', list(values, 'global-var'));
  const iterationCount = wholeNumber('iteration-count', stringOption(values, 'iteration-count'), 1, 1_000_000);
  const timeout = wholeNumber('timeout', stringOption(values, 'timeout'), 0, 2_147_483_647);
  const timeoutRequest = wholeNumber('timeout-request', stringOption(values, 'timeout-request'), 0, 2_147_483_647);
  const timeoutScript = wholeNumber('timeout-script', stringOption(values, 'timeout-script'), 0, 2_147_483_647);
  const delayRequest = wholeNumber('delay-request', stringOption(values, 'delay-request'), 0, 2_147_483_647);

  const collection = parseJsonText(await readTextFile(path.resolve(io.cwd, shown)), shown);
  collectionVersion(collection, shown);
  const environment = await readScopeFile('environment', stringOption(values, 'environment'), io.cwd);
  const globals = await readScopeFile('globals', stringOption(values, 'globals'), io.cwd);
  const vaultFileOption = stringOption(values, 'vault-env-file');
  const vaultFile = vaultFileOption === undefined ? {} : await readVaultEnvFile(path.resolve(io.cwd, vaultFileOption), vaultFileOption);

  // Every scope, lowest precedence first (newman: globals < collection < environment; --env-var/--global-var set into those).
  const variables = [
    ...globals.values,
    ...globalVar,
    ...collectionVariables(collection as Json),
    ...environment.values,
    ...envVar,
  ];
  const defined = new Set(
    variables.filter((v) => v.key.startsWith('vault:') && typeof v.value === 'string' && v.value !== '').map((v) => v.key.slice(6)),
  );
  // Only the definition that wins counts: an environment's oauth_client_id hides the collection's.
  const effective = new Map<string, unknown>();
  for (const v of variables) effective.set(v.key, v.value);
  const grant = effective.get('oauth_grant');
  for (const key of credentialSettingsUnusedBy(typeof grant === 'string' && grant !== '' ? grant : 'client_credentials')) effective.delete(key);
  const { variable: _variables, ...requests } = collection as Json;
  const keys = referencedVaultKeys(requests, [...effective.values()]);
  const supply = supplyVaultSecrets(keys, { defined, env: io.env, file: vaultFile });
  const mockMode = values['mock'] === true;
  if (supply.missing.length > 0 && !mockMode) throw missingSecretsError(supply.missing, vaultFileOption !== undefined);

  const sanitiser = new ReportSanitiser();
  for (const v of [...variables, ...supply.values]) {
    if (isSecretVariable(v.key, 'type' in v ? v.type : undefined)) sanitiser.add(v.value);
    // A pasted oauth_callback_url carries the authorization code (or the implicit token).
    else sanitiser.addFormCredentials(v.value);
  }

  let mock: RunMock | undefined;
  if (mockMode) {
    mock = startRunMock({ variables: [...variables, ...supply.values], missingVaultKeys: supply.missing });
    supply.values.push(...mock.placeholders);
    io.stdout(
      `${PREFIX} --mock: every request goes to the built-in mock login and API server in this process (hostnames kept); nothing leaves this machine.\n`,
    );
    if (mock.placeholders.length > 0) {
      io.stdout(`${PREFIX} --mock: using mock values for ${mock.placeholders.map((p) => `"${p.key.slice(6)}"`).join(', ')}.\n`);
    }
  }
  if (supply.values.length > 0 && !mockMode) {
    io.stdout(`${PREFIX} vault secrets from the environment: ${supply.values.map((v) => `"${v.key.slice(6)}" (${vaultEnvName(v.key.slice(6))})`).join(', ')}\n`);
  }

  const options: NewmanRunOptions = {
    collection: collection as NewmanRunOptions['collection'],
    ...(environment.json ? { environment: environment.json as NewmanRunOptions['environment'] } : {}),
    ...(globals.json ? { globals: globals.json as NewmanRunOptions['globals'] } : {}),
    envVar: [...envVar, ...supply.values],
    globalVar,
    reporters,
    reporter,
    workingDir: io.cwd,
    ...(stringOption(values, 'iteration-data') ? { iterationData: path.resolve(io.cwd, stringOption(values, 'iteration-data') as string) } : {}),
    ...(iterationCount !== undefined ? { iterationCount } : {}),
    ...(list(values, 'folder').length ? { folder: list(values, 'folder') } : {}),
    ...(stringOption(values, 'export-environment') ? { exportEnvironment: path.resolve(io.cwd, stringOption(values, 'export-environment') as string) } : {}),
    ...(stringOption(values, 'export-globals') ? { exportGlobals: path.resolve(io.cwd, stringOption(values, 'export-globals') as string) } : {}),
    ...(values['bail'] ? { bail: true } : {}),
    ...(timeout !== undefined ? { timeout } : {}),
    ...(timeoutRequest !== undefined ? { timeoutRequest } : {}),
    ...(timeoutScript !== undefined ? { timeoutScript } : {}),
    ...(delayRequest !== undefined ? { delayRequest } : {}),
    ...(values['insecure'] ? { insecure: true } : {}),
    ...(values['ignore-redirects'] ? { ignoreRedirects: true } : {}),
    ...(color ? { color: color as 'on' | 'off' | 'auto' } : {}),
    ...(values['disable-unicode'] ? { disableUnicode: true } : {}),
  };

  try {
    const { error, summary } = await runWithSanitisedReports(options, sanitiser);
    if (mock) {
      const stats = mock.state.stats();
      io.stdout(
        `${PREFIX} --mock: ${stats.tokenCalls} token call${stats.tokenCalls === 1 ? '' : 's'}, ${stats.apiCalls} API request${stats.apiCalls === 1 ? '' : 's'}.\n`,
      );
    }
    if (error) {
      io.stderr(`${PREFIX} newman could not run the collection: ${sanitiser.redactText(error.message)}\n`);
      return EXIT.failed;
    }
    const failed = summary.run.failures.length > 0;
    return failed && values['suppress-exit-code'] !== true ? EXIT.failed : EXIT.ok;
  } finally {
    mock?.close();
  }
}

interface ExportEntry {
  name?: string;
  content?: unknown;
}

/** Drops the `vault:` variables from an exported environment or globals. */
function withoutVaultValues(content: unknown): unknown {
  if (!content || typeof content !== 'object' || !Array.isArray((content as Json)['values'])) return content;
  const json = content as Json;
  return {
    ...json,
    values: (json['values'] as unknown[]).filter((v) => !(v && typeof v === 'object' && String((v as Json)['key']).startsWith('vault:'))),
  };
}

/**
 * Runs newman and redacts every file its reporters and exports write: reporters
 * hand their content to newman in `emitter.exports`, which newman writes after
 * `beforeDone`, so each entry is sanitised on its way in.
 */
async function runWithSanitisedReports(
  options: NewmanRunOptions,
  sanitiser: ReportSanitiser,
): Promise<{ error: Error | null; summary: NewmanRunSummary }> {
  const newman = await loadNewman();
  return new Promise((resolve) => {
    const emitter = newman.run(options, (error, summary) => resolve({ error: error ?? null, summary }));
    const hooked = emitter as unknown as { exports?: ExportEntry[] & { sanitised?: boolean } };
    const sanitise = (entry: ExportEntry): ExportEntry => {
      if (entry.name === 'environment' || entry.name === 'globals') {
        // A cached token stays in an exported environment: reusing it is why one exports it.
        return { ...entry, content: withoutVaultValues(entry.content) };
      }
      return { ...entry, content: sanitiser.redactContent(entry.content) };
    };
    const hook = () => {
      const exports = hooked.exports;
      if (!exports || exports.sanitised) return;
      exports.sanitised = true;
      for (let i = 0; i < exports.length; i++) exports[i] = sanitise(exports[i] as ExportEntry);
      const push = exports.push.bind(exports);
      exports.push = (...entries: ExportEntry[]) => push(...entries.map(sanitise));
    };
    emitter.on('start', hook);
    emitter.on('beforeDone', (_err: unknown, o: { summary?: NewmanRunSummary }) => {
      const summary = o?.summary as unknown as { collection?: { variables?: { get(k: string): unknown } }; environment?: { get(k: string): unknown } } | undefined;
      sanitiser.add(summary?.collection?.variables?.get('oauth_access_token'));
      sanitiser.add(summary?.environment?.get('oauth_access_token'));
      hook();
    });
    type RequestEvent = {
      request?: { headers?: { get(name: string): unknown }; body?: { mode?: string; toString(): string } };
      response?: { text(): string };
    };
    emitter.on('request', (_err: unknown, o: RequestEvent) => {
      sanitiser.addAuthorization(o?.request?.headers?.get('Authorization'));
      // The token request's form: the code, verifier, refresh token or password it sent.
      const body = o?.request?.body;
      if (body?.mode === 'raw' || body?.mode === 'urlencoded') sanitiser.addFormCredentials(body.toString());
      try {
        sanitiser.addTokenResponse(o?.response?.text());
      } catch {
        // a response without a body
      }
    });
  });
}
