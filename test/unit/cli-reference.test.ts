import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../build/cli.ts';
import { CACHE_MEANINGS, EXIT_MEANINGS, renderCliReference } from '../../build/cli-reference.ts';
import { CACHE } from '../../scripts-src/variables.ts';
import { EXIT } from '../../build/errors.ts';
import { SETTINGS } from '../../build/settings.ts';
import { spawnCli, tempFolder } from '../helpers/cli-process.ts';
import { ROOT } from '../helpers/paths.ts';

const DOC = path.join(ROOT, 'docs', 'cli.md');

describe('docs/cli.md', () => {
  it('is the reference generated from the CLI (run "npm run docs" to update it)', () => {
    const expected = renderCliReference(COMMANDS);
    if (process.env['WRITE_DOCS'] === '1') writeFileSync(DOC, expected);
    expect(readFileSync(DOC, 'utf8'), 'docs/cli.md is stale: run "npm run docs"').toBe(expected);
  });

  it("holds the built CLI's own --help of every command, verbatim", async () => {
    const doc = readFileSync(DOC, 'utf8');
    const cwd = await tempFolder('pok-docs-');
    for (const command of COMMANDS) {
      const help = await spawnCli([command.spec.name, '--help'], { cwd });
      expect(help.code).toBe(0);
      expect(doc).toContain('```text\n$ postman-oauth-kit ' + command.spec.name + ' --help\n' + help.stdout.trimEnd() + '\n```');
    }
  });

  it('names every oauth_ variable and every exit code', () => {
    const doc = readFileSync(DOC, 'utf8');
    for (const setting of SETTINGS) expect(doc).toContain(`| \`${setting.key}\` |`);
    expect(Object.keys(EXIT_MEANINGS).sort()).toEqual(Object.keys(EXIT).sort());
    expect(Object.keys(CACHE_MEANINGS).sort()).toEqual(Object.values(CACHE).filter((k) => k !== 'oauth_access_token').sort());
  });
});
