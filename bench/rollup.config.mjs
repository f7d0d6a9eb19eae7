// Compiles the benchmark (bench/*.ts) to plain ES modules in .tmp/bench/ so that
// `npm run bench` needs no TypeScript runner. Everything in node_modules stays
// external; the project's own build/ sources it imports are bundled in. The
// bench measures the BUILT artefacts (dist/scripts/*.js, dist/cli.js), which
// `npm run bench` builds first.
import { builtinModules } from 'node:module';
import typescript from '@rollup/plugin-typescript';

const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

export default {
  input: {
    bench: 'bench/bench.ts',
    'builder-child': 'bench/builder-child.ts',
  },
  output: {
    dir: '.tmp/bench',
    format: 'es',
    entryFileNames: '[name].js',
    chunkFileNames: '[name].js',
    sourcemap: false,
  },
  // Bare specifiers (npm packages) and Node built-ins are loaded at run time.
  external: (id) => builtins.has(id) || !(id.startsWith('.') || id.startsWith('/') || id.startsWith('\0')),
  plugins: [
    typescript({
      tsconfig: 'tsconfig.json',
      noEmit: false,
      allowImportingTsExtensions: true,
      // Rollup resolves the relative .ts imports itself; rewriting would turn the
      // builder child's dynamic import(dist/cli.js) into an undefined helper call.
      rewriteRelativeImportExtensions: false,
      include: ['bench/**/*.ts', 'build/**/*.ts'],
      outDir: '.tmp/bench',
      declaration: false,
    }),
  ],
  onwarn(warning, warn) {
    if (warning.code === 'CIRCULAR_DEPENDENCY' && /node_modules/.test(warning.message)) return;
    warn(warning);
  },
};
