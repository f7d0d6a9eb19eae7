import path from 'node:path';
import { HELP_OPTION, parseCommandArgs, renderHelp, stringOption, type CommandSpec } from '../args.ts';
import { packageVersion } from '../bundle.ts';
import { postmanEnvironment, type EnvironmentValue } from '../environment-file.ts';
import { CliError, EXIT } from '../errors.ts';
import { GENESYS_REGIONS, parseGenesysRegion } from '../genesys.ts';
import type { CommandIO } from '../io.ts';
import { writeFileAtomic } from '../json-file.ts';
import { SETTINGS } from '../settings.ts';

export const envSpec: CommandSpec = {
  name: 'env',
  summary:
    'Writes a Postman environment for a Genesys Cloud region. Like Genesys\'s "GenesysCloud v2" environment it holds the environment variable (the region domain), plus the oauth_ settings that differ per organization: client id and client secret, as vault references.',
  usage: 'postman-oauth-kit env --provider genesys --region <domain> -o <file> [options]',
  options: [
    { name: 'provider', type: 'string', value: '<name>', description: 'Provider: genesys.' },
    { name: 'region', type: 'string', value: '<domain>', description: 'Genesys Cloud region domain, e.g. mypurecloud.ie (an api./login. host or URL is accepted too).' },
    { name: 'output', short: 'o', type: 'string', value: '<file>', description: 'Where to write the environment (written atomically).' },
    { name: 'name', type: 'string', value: '<name>', description: 'Environment name shown in Postman (default "Genesys Cloud <region>").' },
    { name: 'client-id', type: 'string', value: '<value>', description: 'Client id or vault reference (default {{vault:oauth-client-id}}).' },
    { name: 'client-secret', type: 'string', value: '<ref>', description: 'Vault reference for the client secret (default {{vault:oauth-client-secret}}); a literal secret is refused.' },
    { name: 'list-regions', type: 'boolean', description: 'Print the Genesys Cloud region domains, one per line, and exit.' },
    HELP_OPTION,
  ],
  details: [
    'Example:',
    '  postman-oauth-kit env --provider genesys --region mypurecloud.ie -o genesys-ie.postman_environment.json',
    '',
    `Genesys Cloud regions: ${GENESYS_REGIONS.join(', ')}`,
  ],
};

function description(key: string): string | undefined {
  return SETTINGS.find((s) => s.key === key)?.description;
}

/** `postman-oauth-kit env`. */
export async function envCommand(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(envSpec, argv);
  if (values['help']) {
    io.stdout(renderHelp(envSpec));
    return EXIT.ok;
  }
  if (values['list-regions']) {
    io.stdout(GENESYS_REGIONS.map((r) => `${r}\n`).join(''));
    return EXIT.ok;
  }
  if (positionals.length > 0) {
    throw new CliError('UNEXPECTED_ARGUMENT', `env takes no file argument (got ${positionals.join(', ')}); give the output with -o <file>.`, EXIT.usage);
  }
  const provider = stringOption(values, 'provider');
  if (provider === undefined) {
    throw new CliError('PROVIDER_REQUIRED', 'give the provider: --provider genesys.', EXIT.usage);
  }
  if (provider !== 'genesys') {
    throw new CliError('INVALID_OPTION_VALUE', `--provider "${provider}" is not valid; use one of: genesys.`, EXIT.usage);
  }
  const regionOption = stringOption(values, 'region');
  if (regionOption === undefined) {
    throw new CliError('REGION_REQUIRED', '--provider genesys needs --region <domain>, e.g. --region mypurecloud.ie (list: postman-oauth-kit env --list-regions).', EXIT.usage);
  }
  const region = parseGenesysRegion(regionOption);
  const output = stringOption(values, 'output');
  if (output === undefined) {
    throw new CliError('OUTPUT_REQUIRED', 'give an output file with -o <file>, e.g. -o genesys.postman_environment.json.', EXIT.usage);
  }
  const clientId = stringOption(values, 'client-id') ?? '{{vault:oauth-client-id}}';
  const clientSecret = stringOption(values, 'client-secret') ?? '{{vault:oauth-client-secret}}';
  if (!/^\{\{[^{}]+\}\}$/.test(clientSecret.trim())) {
    throw new CliError(
      'LITERAL_SECRET',
      '--client-secret was given a literal value, which would be written into the environment file. Use a vault reference such as --client-secret "{{vault:gc-client-secret}}" and store the secret in Postman Vault (postman-oauth-kit run: POSTMAN_VAULT_GC_CLIENT_SECRET).',
      EXIT.usage,
    );
  }
  const name = stringOption(values, 'name') ?? `Genesys Cloud ${region}`;
  const entries: EnvironmentValue[] = [
    { key: 'environment', value: region, type: 'default', enabled: true, description: 'Genesys Cloud region domain (login.{{environment}}, api.{{environment}}).' },
    { key: 'oauth_client_id', value: clientId.trim(), type: 'default', enabled: true },
    { key: 'oauth_client_secret', value: clientSecret.trim(), type: 'default', enabled: true },
  ];
  for (const entry of entries) {
    const text = description(entry.key);
    if (text) entry.description = text;
  }
  const environment = postmanEnvironment(name, entries, await packageVersion());
  await writeFileAtomic(path.resolve(io.cwd, output), JSON.stringify(environment, null, 2) + '\n');
  io.stdout(`wrote ${output} (environment "${name}", region ${region})\n`);
  return EXIT.ok;
}
