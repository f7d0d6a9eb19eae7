import path from 'node:path';
import { HELP_OPTION, parseCommandArgs, renderHelp, stringOption, type CommandSpec } from '../args.ts';
import { packageRoot } from '../bundle.ts';
import { CliError, EXIT } from '../errors.ts';
import type { CommandIO } from '../io.ts';
import { parseJsonText, readTextFile } from '../json-file.ts';
import { startMockServer } from '../mock/server.ts';
import { DEMO_CLIENT, MockState } from '../mock/state.ts';
import { runNewman } from '../newman-run.ts';

export const demoSpec: CommandSpec = {
  name: 'demo',
  summary:
    'Runs the augmented Genesys sample collection with newman against the built-in mock login server on loopback, and shows how many token calls the run made.',
  usage: 'postman-oauth-kit demo [--iterations <n>] [--collection <file>]',
  options: [
    { name: 'iterations', short: 'n', type: 'string', value: '<n>', description: 'Iterations of the collection (default 3).' },
    { name: 'collection', type: 'string', value: '<file>', description: 'Augmented collection to run (default: the bundled Genesys sample).' },
    HELP_OPTION,
  ],
};

/** `postman-oauth-kit demo`. */
export async function demoCommand(argv: string[], io: CommandIO): Promise<number> {
  const { values } = parseCommandArgs(demoSpec, argv);
  if (values['help']) {
    io.stdout(renderHelp(demoSpec));
    return EXIT.ok;
  }
  const iterationsText = stringOption(values, 'iterations') ?? '3';
  if (!/^[1-9]\d{0,3}$/.test(iterationsText)) {
    throw new CliError('INVALID_OPTION_VALUE', `--iterations "${iterationsText}" must be a whole number from 1 to 9999.`, EXIT.usage);
  }
  const file =
    stringOption(values, 'collection') ?? path.join(packageRoot(), 'collections', 'genesys-sample.oauth.postman_collection.json');
  const collection = parseJsonText(await readTextFile(file), file) as object;
  const state = new MockState();
  const mock = await startMockServer({ state });
  io.stdout(`mock login + API server on ${mock.origin} (demo client "${DEMO_CLIENT.id}")\n`);
  try {
    const { error, summary } = await runNewman({
      collection,
      iterationCount: Number(iterationsText),
      reporters: ['cli'],
      envVar: [
        { key: 'oauth_token_url', value: mock.tokenUrl },
        { key: 'baseUrl', value: mock.origin },
        { key: 'vault:oauth-client-id', value: DEMO_CLIENT.id },
        { key: 'vault:oauth-client-secret', value: DEMO_CLIENT.secret },
      ],
    });
    const stats = state.stats();
    io.stdout(
      `\ndemo: ${stats.apiCalls} API requests, ${stats.tokenCalls} token call${stats.tokenCalls === 1 ? '' : 's'}, ` +
        `${summary.run.failures.length} failure${summary.run.failures.length === 1 ? '' : 's'}\n`,
    );
    if (error) {
      io.stderr(`[postman-oauth-kit] newman could not run: ${error.message}\n`);
      return EXIT.failed;
    }
    return summary.run.failures.length === 0 ? EXIT.ok : EXIT.failed;
  } finally {
    await mock.close();
  }
}
