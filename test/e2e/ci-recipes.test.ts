import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { parseCommandArgs } from '../../build/args.ts';
import { COMMANDS } from '../../build/cli.ts';
import { extractReporterOptions } from '../../build/run-options.ts';
import { spawnCli, tempFolder } from '../helpers/cli-process.ts';
import { COLLECTIONS, ROOT } from '../helpers/paths.ts';
import { collectionSchemaErrors } from '../helpers/schema.ts';

const CI = path.join(ROOT, 'docs', 'ci');

/** Splits a shell command line into words (quotes and backslash-newlines handled; enough for the recipes). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote: string | undefined;
  let inWord = false;
  for (const ch of line.replace(/\\\n/g, ' ')) {
    if (quote) {
      if (ch === quote) quote = undefined;
      else word += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** Every `postman-oauth-kit ...` invocation in a text, as argument vectors (after the program name). */
function invocations(text: string): string[][] {
  return text
    .replace(/\\\n/g, ' ')
    .split(/\n|&&/)
    .filter((line) => /\bpostman-oauth-kit\s/.test(line))
    .map((line) => shellWords(line.slice(line.search(/\bpostman-oauth-kit\s/))).slice(1));
}

function yamlStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(yamlStrings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(yamlStrings);
  return [];
}

interface Recipe {
  file: string;
  /** How the CI system's secret store reaches POSTMAN_VAULT_GC_CLIENT_SECRET. */
  secretFromStore: RegExp;
  commands(text: string): string[][];
}

const fromYaml = (text: string) => yamlStrings(parseYaml(text)).flatMap(invocations);
const RECIPES: Recipe[] = [
  { file: 'github-actions.yml', secretFromStore: /POSTMAN_VAULT_GC_CLIENT_SECRET: \$\{\{ secrets\.GC_CLIENT_SECRET \}\}/, commands: fromYaml },
  { file: 'gitlab-ci.yml', secretFromStore: /POSTMAN_VAULT_GC_CLIENT_SECRET: \$GC_CLIENT_SECRET\b/, commands: fromYaml },
  { file: 'azure-pipelines.yml', secretFromStore: /POSTMAN_VAULT_GC_CLIENT_SECRET: \$\(GC_CLIENT_SECRET\)/, commands: fromYaml },
  {
    file: 'Jenkinsfile',
    secretFromStore: /string\(credentialsId: 'gc-client-secret', variable: 'POSTMAN_VAULT_GC_CLIENT_SECRET'\)/,
    commands: (text) => [...text.matchAll(/\bsh\s+'([^']*)'/g)].flatMap((m) => invocations(m[1] as string)),
  },
];

/** The README's one-off setup commands (```sh blocks). */
function readmeCommands(): string[][] {
  const readme = readFileSync(path.join(CI, 'README.md'), 'utf8');
  return [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => invocations(m[1] as string));
}

/** Parses argv exactly as the CLI does and checks that each option is in the command's OptionSpec table. */
function checkAgainstSpec(argv: string[]): void {
  const [name, ...args] = argv;
  const command = COMMANDS.find((c) => c.spec.name === name);
  expect(command, `unknown command "${name}"`).toBeDefined();
  const spec = command!.spec;
  const known = new Set(spec.options.flatMap((o) => [`--${o.name}`, ...(o.short ? [`-${o.short}`] : [])]));
  for (const arg of args) {
    if (arg.startsWith('-')) expect(known, `${name} has no option ${arg}`).toContain(arg.split('=')[0]);
  }
  const rest = name === 'run' ? extractReporterOptions(args).rest : args;
  expect(() => parseCommandArgs(spec, rest)).not.toThrow();
}

describe('docs/ci recipes', () => {
  it('the README setup commands use real options', () => {
    const commands = readmeCommands();
    expect(commands.map((c) => c[0])).toEqual(['env']);
    commands.forEach(checkAgainstSpec);
  });

  describe.each(RECIPES)('$file', (recipe) => {
    const text = readFileSync(path.join(CI, recipe.file), 'utf8');

    it('parses, uses only real options, takes the secrets from the secret store and writes a junit report', () => {
      if (recipe.file.endsWith('.yml')) expect(() => parseYaml(text)).not.toThrow();
      const commands = recipe.commands(text);
      expect(commands.map((c) => c[0])).toEqual(['inject', 'run']);
      commands.forEach(checkAgainstSpec);
      const run = commands[1]!;
      expect(run.join(' ')).toMatch(/-r cli,junit --reporter-junit-export \S+junit\.xml/);
      expect(text).toMatch(recipe.secretFromStore);
      expect(text).toContain('POSTMAN_VAULT_GC_CLIENT_ID');
      // Secrets never on a command line.
      for (const command of commands) expect(command.join(' ')).not.toMatch(/vault:|--env-var|SECRET/);
    });

    it("its own commands work: build from the committed config, run (with --mock) and write the junit report", async () => {
      const dir = await tempFolder('pok-ci-');
      await fs.mkdir(path.join(dir, 'postman'));
      await fs.copyFile(path.join(COLLECTIONS, 'genesys-sample.postman_collection.json'), path.join(dir, 'postman', 'genesys.postman_collection.json'));
      await fs.copyFile(path.join(CI, 'postman-oauth-kit.config.json'), path.join(dir, 'postman-oauth-kit.config.json'));
      const env = { POSTMAN_VAULT_GC_CLIENT_ID: 'ci-id', POSTMAN_VAULT_GC_CLIENT_SECRET: 'ci-secret-value' };
      const azureVariables = (argv: string[]) => argv.map((a) => a.replace(/\$\(Build\.ArtifactStagingDirectory\)/g, 'results'));
      const steps = [...readmeCommands(), ...recipe.commands(text).map(azureVariables)];
      for (const argv of steps) {
        const result = await spawnCli(argv[0] === 'run' ? [...argv, '--mock'] : argv, { cwd: dir, env });
        expect(result.stderr, argv.join(' ')).toBe('');
        expect(result.code, argv.join(' ')).toBe(0);
      }
      const built = JSON.parse(await fs.readFile(path.join(dir, 'genesys.oauth.postman_collection.json'), 'utf8')) as unknown;
      expect(collectionSchemaErrors(built)).toEqual([]);
      const junit = await fs.readFile(path.join(dir, 'results', 'junit.xml'), 'utf8');
      expect(junit).toMatch(/<testsuites name="Genesys Cloud sample \(postman-oauth-kit\)" tests="5"/);
      expect(junit).not.toContain('<failure');
      expect(junit).not.toContain('ci-secret-value');
    });
  });
});
