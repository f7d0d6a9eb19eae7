import { promises as fs } from 'node:fs';
import path from 'node:path';
import { HELP_OPTION, parseCommandArgs, renderHelp, stringOption, type CommandSpec } from '../args.ts';
import { loadBundle } from '../bundle.ts';
import { loadConfig, mergeOptions } from '../config-file.ts';
import { CliError, EXIT } from '../errors.ts';
import { GENESYS_REGIONS } from '../genesys.ts';
import { convertV1ToV21, isCollectionV1 } from '../convert-v1.ts';
import { injectIntoCollection, type InjectOptions } from '../inject.ts';
import type { CommandIO } from '../io.ts';
import { detectIndent, parseJsonText, readTextFile, writeFileAtomic } from '../json-file.ts';

export const injectSpec: CommandSpec = {
  name: 'inject',
  summary:
    'Adds the OAuth 2.0 pre-request script, bearer auth and oauth_ variables to a Postman collection (v2.0 or v2.1). Everything else in the collection is kept as it was; running it again on its output updates the script in place.',
  usage: 'postman-oauth-kit inject <collection.json> (-o <out.json> | --in-place) [options]',
  options: [
    { name: 'output', short: 'o', type: 'string', value: '<file>', description: 'Where to write the augmented collection (written atomically).' },
    { name: 'in-place', type: 'boolean', description: 'Overwrite the input collection instead of writing a new file.' },
    {
      name: 'grant',
      type: 'string',
      value: '<grant>',
      description: 'OAuth grant: client_credentials (default), authorization_code, pkce, implicit or password (docs/grants.md).',
    },
    { name: 'token-url', type: 'string', value: '<url>', description: 'Token endpoint: an absolute http(s) URL, may contain {{variables}}.' },
    {
      name: 'authorize-url',
      type: 'string',
      value: '<url>',
      description: 'Authorization endpoint for authorization_code, pkce and implicit (genesys: https://login.{{environment}}/oauth/authorize).',
    },
    {
      name: 'redirect-uri',
      type: 'string',
      value: '<url>',
      description: 'Redirect URI registered for the client (default https://oauth.pstmn.io/v1/callback, Postman\'s callback page).',
    },
    { name: 'client-id', type: 'string', value: '<value>', description: 'Client id or vault reference (default {{vault:oauth-client-id}}).' },
    { name: 'client-secret', type: 'string', value: '<ref>', description: 'Vault reference for the client secret (default {{vault:oauth-client-secret}}).' },
    { name: 'allow-literal-secret', type: 'boolean', description: 'Accept a literal --client-secret (it is then stored in the output file).' },
    { name: 'client-auth', type: 'string', value: '<basic|post>', description: 'Client authentication at the token endpoint (default basic).' },
    { name: 'scope', type: 'string', value: '<scopes>', description: 'Space-separated scopes to request.' },
    { name: 'audience', type: 'string', value: '<value>', description: 'Audience parameter for providers that need one.' },
    { name: 'refresh-margin', type: 'string', value: '<seconds>', description: 'Refresh this long before expiry (default 60; at most 10% of the lifetime).' },
    {
      name: 'token-store',
      type: 'string',
      value: '<scope>',
      description:
        'collection (default; one run) or environment (reuse across runs with newman -e/--export-environment; docs/resilience.md).',
    },
    { name: 'retry-attempts', type: 'string', value: '<n>', description: 'Token endpoint tries in all, 1-10 (default 4); see docs/resilience.md.' },
    { name: 'provider', type: 'string', value: '<name>', description: 'Provider defaults: genesys (token URL https://login.{{environment}}/oauth/token).' },
    { name: 'region', type: 'string', value: '<domain>', description: 'Genesys Cloud region domain for the environment variable, e.g. mypurecloud.ie.' },
    { name: 'replace-auth', type: 'boolean', description: 'Replace an existing collection auth of another type (basic, apikey, ...).' },
    { name: 'slim', type: 'boolean', description: 'client_credentials only: embed the smaller script without the user sign-in grants (oauth_grant can then not be switched to them).' },
    { name: 'skip-401-recovery', type: 'boolean', description: 'Leave out the post-response script that drops a refused token and re-runs the request once (saves one script run per request).' },
    { name: 'keep-request-auth', type: 'boolean', description: 'Keep folder/request oauth2 auth (by default it is removed so they inherit the token).' },
    { name: 'config', type: 'string', value: '<file>', description: 'Read options from this JSON file (default: postman-oauth-kit.config.json in the current folder, if present); flags win over it.' },
    HELP_OPTION,
  ],
  details: [
    'Examples:',
    '  postman-oauth-kit inject genesys.postman_collection.json -o genesys.oauth.postman_collection.json --provider genesys --region mypurecloud.ie',
    '  postman-oauth-kit inject api.json -o api.oauth.json --token-url https://auth.example.com/oauth2/token --scope "read write"',
    '  postman-oauth-kit inject genesys.json -o genesys.pkce.json --provider genesys --region mypurecloud.ie --grant pkce',
    '',
    'Config file (postman-oauth-kit.config.json): the options above in camelCase, e.g.',
    '  {"provider": "genesys", "region": "mypurecloud.ie", "clientSecret": "{{vault:gc-client-secret}}", "refreshMargin": 120}',
    '',
    `Genesys Cloud regions: ${GENESYS_REGIONS.join(', ')}`,
  ],
};

function countRequests(items: unknown): number {
  if (!Array.isArray(items)) return 0;
  let n = 0;
  for (const item of items) {
    if (item && typeof item === 'object') {
      const it = item as Record<string, unknown>;
      if (Array.isArray(it['item'])) n += countRequests(it['item']);
      else if (it['request'] !== undefined) n++;
    }
  }
  return n;
}

async function sameFile(a: string, b: string): Promise<boolean> {
  if (path.resolve(a) === path.resolve(b)) return true;
  try {
    const [sa, sb] = await Promise.all([fs.stat(a), fs.stat(b)]);
    return sa.ino === sb.ino && sa.dev === sb.dev;
  } catch {
    return false;
  }
}

/** `postman-oauth-kit inject`: returns the exit code; never exits the process. */
export async function injectCommand(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(injectSpec, argv);
  if (values['help']) {
    io.stdout(renderHelp(injectSpec));
    return EXIT.ok;
  }
  if (positionals.length !== 1) {
    throw new CliError(
      positionals.length === 0 ? 'INPUT_REQUIRED' : 'TOO_MANY_INPUTS',
      positionals.length === 0
        ? 'give the collection file to augment: postman-oauth-kit inject <collection.json> -o <out.json>'
        : `give exactly one collection file (got ${positionals.length}: ${positionals.join(', ')}).`,
      EXIT.usage,
    );
  }
  const input = path.resolve(io.cwd, positionals[0] as string);
  const outputOption = stringOption(values, 'output');
  const inPlace = values['in-place'] === true;
  if (outputOption !== undefined && inPlace) {
    throw new CliError('OUTPUT_CONFLICT', 'give either -o <file> or --in-place, not both.', EXIT.usage);
  }
  if (outputOption === undefined && !inPlace) {
    throw new CliError('OUTPUT_REQUIRED', 'give an output file with -o <file> (or --in-place to overwrite the input).', EXIT.usage);
  }
  const output = inPlace ? input : path.resolve(io.cwd, outputOption as string);
  const flags: InjectOptions = {
    grant: stringOption(values, 'grant'),
    tokenUrl: stringOption(values, 'token-url'),
    authorizeUrl: stringOption(values, 'authorize-url'),
    redirectUri: stringOption(values, 'redirect-uri'),
    clientId: stringOption(values, 'client-id'),
    clientSecret: stringOption(values, 'client-secret'),
    allowLiteralSecret: values['allow-literal-secret'] === true,
    clientAuth: stringOption(values, 'client-auth'),
    scope: stringOption(values, 'scope'),
    audience: stringOption(values, 'audience'),
    refreshMargin: stringOption(values, 'refresh-margin'),
    tokenStore: stringOption(values, 'token-store'),
    retryAttempts: stringOption(values, 'retry-attempts'),
    provider: stringOption(values, 'provider'),
    region: stringOption(values, 'region'),
    replaceAuth: values['replace-auth'] === true,
    keepRequestAuth: values['keep-request-auth'] === true,
    slim: values['slim'] === true,
    skip401Recovery: values['skip-401-recovery'] === true,
  };
  const config = await loadConfig(io.cwd, stringOption(values, 'config'));
  const options = mergeOptions(config?.options, flags);

  const shown = positionals[0] as string;
  const text = await readTextFile(input, shown);
  if (!inPlace && (await sameFile(input, output))) {
    throw new CliError(
      'WOULD_OVERWRITE_INPUT',
      `the output ${outputOption} is the input file. Choose another -o path, or pass --in-place to overwrite the input.`,
      EXIT.output,
    );
  }
  let data = parseJsonText(text, shown);
  const converted = isCollectionV1(data);
  if (converted) data = convertV1ToV21(data, shown);
  if (options.slim && options.grant !== undefined && options.grant !== 'client_credentials') {
    throw new CliError('SLIM_NEEDS_CLIENT_CREDENTIALS', `--slim embeds the client-credentials-only script; it cannot serve --grant ${options.grant}. Leave out --slim.`, EXIT.usage);
  }
  const bundle = await loadBundle(options.slim ? 'client-credentials' : 'all-grants');
  const changes = injectIntoCollection(data, bundle, options, shown);
  if (converted) changes.unshift('converted from collection format v1 to v2.1 (postman-collection-transformer)');
  const indent = detectIndent(text);
  const out = JSON.stringify(data, null, indent) + (text.endsWith('\n') ? '\n' : '');
  await writeFileAtomic(output, out, undefined, inPlace ? shown : (outputOption as string));
  const requests = countRequests((data as Record<string, unknown>)['item']);
  io.stdout(
    (config ? `options from ${config.file}\n` : '') +
      `wrote ${inPlace ? shown : outputOption} (${requests} request${requests === 1 ? '' : 's'}, script ${bundle.code.length} bytes)\n` +
      changes.map((c) => `  ${c}\n`).join(''),
  );
  return EXIT.ok;
}
