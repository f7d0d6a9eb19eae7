// Two builds:
// 1. scripts-src/ -> dist/scripts/*.js: self-contained IIFE pre-request scripts for
//    the Postman sandbox (Newman's old one and the app's new one). ES2020, no imports.
// 2. build/ -> dist/cli.js: the builder CLI for Node, dependencies left external.
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

/** Bundles, one per entry in scripts-src/entries. */
export const SCRIPT_ENTRIES = ['all-grants', 'client-credentials', 'after-response'];

const sandboxBuilds = SCRIPT_ENTRIES.map((entry) => ({
  input: `scripts-src/entries/${entry}.ts`,
  output: {
    file: `dist/scripts/${entry}.js`,
    format: 'iife',
    generatedCode: 'es2015',
    strict: true,
    // Minified: the sandbox compiles the script again for every request (about
    // 1.6 ms per 25 KB of code in newman), so size is per-request cost.
    plugins: [
      terser({
        ecma: 2020,
        compress: { passes: 2 },
        mangle: true,
        format: {
          comments: false,
          preamble: `// postman-oauth-kit ${pkg.version} (${entry}): OAuth 2.0 token fetch and refresh. Generated and minified from scripts-src/ (https://www.npmjs.com/package/postman-oauth-kit); re-run "postman-oauth-kit inject" to update.`,
        },
      }),
    ],
  },
  plugins: [
    typescript({
      tsconfig: 'scripts-src/tsconfig.json',
      noEmit: false,
      allowImportingTsExtensions: true,
      rewriteRelativeImportExtensions: true,
      removeComments: true,
      include: ['scripts-src/**/*.ts'],
    }),
  ],
  onwarn(warning, warn) {
    throw new Error(`rollup (${entry}): ${warning.message}`);
  },
}));

const external = [
  ...builtinModules,
  ...builtinModules.map((m) => `node:${m}`),
  ...Object.keys(pkg.dependencies ?? {}),
];

const cliBuild = {
  input: 'build/cli.ts',
  output: {
    file: 'dist/cli.js',
    format: 'es',
    banner: '#!/usr/bin/env node',
    sourcemap: false,
  },
  external: (id) => external.some((e) => id === e || id.startsWith(e + '/')),
  plugins: [
    typescript({
      tsconfig: 'tsconfig.json',
      noEmit: false,
      allowImportingTsExtensions: true,
      rewriteRelativeImportExtensions: true,
      // build/commands/login.ts reuses the sandbox's pure helpers (PKCE, URLs, grants).
      include: ['build/**/*.ts', 'scripts-src/**/*.ts'],
      outDir: 'dist',
      rootDir: '.',
      declaration: false,
    }),
  ],
};

export default [...sandboxBuilds, cliBuild];
