import { pathToFileURL } from 'node:url';
import { realpathSync } from 'node:fs';
import { renderHelp, type CommandSpec } from './args.ts';
import { packageVersion } from './bundle.ts';
import { demoCommand, demoSpec } from './commands/demo.ts';
import { envCommand, envSpec } from './commands/env.ts';
import { injectCommand, injectSpec } from './commands/inject.ts';
import { loginCommand, loginSpec } from './commands/login.ts';
import { mockServerCommand, mockServerSpec } from './commands/mock-server.ts';
import { runCommand, runSpec } from './commands/run.ts';
import { CliError, EXIT, PREFIX } from './errors.ts';
import { processIO, type CommandIO } from './io.ts';

export interface Command {
  spec: CommandSpec;
  run(argv: string[], io: CommandIO): Promise<number>;
}

/** Every command, in the order `--help` lists them. */
export const COMMANDS: Command[] = [
  { spec: injectSpec, run: injectCommand },
  { spec: runSpec, run: runCommand },
  { spec: envSpec, run: envCommand },
  { spec: loginSpec, run: loginCommand },
  { spec: mockServerSpec, run: mockServerCommand },
  { spec: demoSpec, run: demoCommand },
];

export function topLevelHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.spec.name.length)) + 2;
  return [
    'Usage: postman-oauth-kit <command> [options]',
    '',
    'OAuth 2.0 token fetch and refresh for Postman collections, in the Postman app and in newman run.',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.spec.name.padEnd(width)}${c.spec.summary.split('. ')[0]?.replace(/\.$/, '')}.`),
    '',
    'Run "postman-oauth-kit <command> --help" for a command\'s options.',
    '',
  ].join('\n');
}

/** Runs the CLI and returns the exit code. Errors become one prefixed line on stderr. */
export async function runCli(argv: string[], io: CommandIO): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      if (name === 'help' && rest[0]) {
        const command = COMMANDS.find((c) => c.spec.name === rest[0]);
        if (command) {
          io.stdout(renderHelp(command.spec));
          return EXIT.ok;
        }
      }
      io.stdout(topLevelHelp());
      return name === undefined ? EXIT.usage : EXIT.ok;
    }
    if (name === '--version' || name === '-v') {
      io.stdout(`${await packageVersion()}\n`);
      return EXIT.ok;
    }
    const command = COMMANDS.find((c) => c.spec.name === name);
    if (!command) {
      throw new CliError(
        'UNKNOWN_COMMAND',
        `unknown command "${name}". Commands: ${COMMANDS.map((c) => c.spec.name).join(', ')}. Run "postman-oauth-kit --help".`,
        EXIT.usage,
      );
    }
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr(`${PREFIX} ${error.message}\n`);
      return error.exitCode;
    }
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.stderr(`${PREFIX} internal error, please report it: ${message}\n`);
    return EXIT.failed;
  }
}

/** The only place that exits the process. */
export async function main(): Promise<void> {
  const code = await runCli(process.argv.slice(2), processIO());
  process.exitCode = code;
}

function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(entry)).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) void main();
