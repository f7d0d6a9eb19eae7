import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { injectSpec } from '../../build/commands/inject.ts';
import { SETTINGS } from '../../build/settings.ts';
import { ROOT } from '../helpers/paths.ts';

const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

describe('README', () => {
  it('documents every oauth_ variable the builder writes', () => {
    const table = readme.slice(readme.indexOf('## Settings: the `oauth_` variables'));
    for (const setting of SETTINGS) expect(table, setting.key).toContain(`| \`${setting.key}\` |`);
  });

  it('documents every inject option', () => {
    for (const option of injectSpec.options.filter((o) => o.name !== 'help' && o.name !== 'allow-literal-secret')) {
      expect(readme, option.name).toContain(`--${option.name}`);
    }
  });

  it('gives the two set-up commands on its first screen', () => {
    const firstScreen = readme.split('\n').slice(0, 15).join('\n');
    expect(firstScreen).toContain('npm ci && npm run demo');
    expect(firstScreen).toContain('npm ci && npm test');
  });
});
