// ESLint for the TypeScript of the processes, workflows, scripts and tests
// (`npm run lint`, run by `npm test`). The web console (web/) is checked by
// vue-tsc in scripts/build-web.sh instead.
import { builtinModules } from 'node:module';
import { defineConfig } from 'eslint/config';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// What workflow code may not load as a value: Temporal replays workflows in a
// sandbox, so anything with side effects or non-determinism belongs in an
// activity. Type-only imports (`import type`) are erased and stay allowed.
const builtins = builtinModules.filter((m) => !m.startsWith('_'));
const sideEffectPackages = [
  '@prisma/.*', 'prisma', 'pg', 'pg-.*', 'nodemailer', 'smtp-server', 'mailparser', 'express', 'express-.*',
  'csv-parse', 'exceljs', '@grpc/.*', '@temporalio/(client|worker|activity|testing)',
];
const workflowForbidden = [
  {
    regex: `^(node:.*|(${builtins.join('|')})(/.*)?)$`,
    message: 'Workflow code runs in the deterministic sandbox: no Node built-ins (do it in an activity).',
  },
  {
    regex: '^\\.{1,2}/(.*/)?(activities|api|worker|generated)(/.*)?$',
    allowTypeImports: true,
    message: 'Workflows reach activities through proxyActivities: import their types only (`import type`).',
  },
  {
    // The modules of common/ that touch the database, the environment or crypto keys.
    regex: '^\\.{1,2}/(.*/)?common/(db|tokens|codec|config)$',
    allowTypeImports: true,
    message: 'This module has side effects (database, environment, keys): use it from an activity.',
  },
  {
    regex: `^(${sideEffectPackages.join('|')})(/.*)?$`,
    allowTypeImports: true,
    message: 'This package has side effects (database, mail, network, files): use it from an activity.',
  },
];

export default defineConfig(
  { ignores: ['dist/**', 'generated/**', 'web/**', 'coverage/**', '.data/**', 'test-artifacts/**'] },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    // The recommended type-checked set, with these changes:
    // - no-floating-promises is an error (a forgotten await on an activity or a
    //   query is a bug); `void` marks a promise left running on purpose, with a reason.
    // - the no-unsafe-* family is off: values from JSON, zod-parsed bodies, Temporal
    //   payloads and jest matchers are `any` by design at those edges, and the
    //   rules would flag each use rather than the one place where the type enters.
    // - require-await is off: an async function without await is how a throw (a zod
    //   parse in a route's load) becomes a rejection, and how a Promise-returning
    //   interface (PayloadCodec, Prisma's adapter factory) is met.
    // - irregular whitespace is allowed in strings and templates: official Chinese
    //   text uses the ideographic space (U+3000).
    rules: {
      'no-irregular-whitespace': ['error', { skipStrings: true, skipTemplates: true }],
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-floating-promises': 'error',
      // Augmenting a library's types (Express.Request) needs `declare global { namespace … }`.
      '@typescript-eslint/no-namespace': ['error', { allowDeclarations: true }],
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: workflowForbidden }],
    },
  },
  {
    // The product logs through pino (common/logger.ts); test-only hooks print markers the slow tests wait for.
    files: ['api/**/*.ts', 'worker/**/*.ts', 'activities/**/*.ts', 'common/**/*.ts', 'workflows/**/*.ts'],
    ignores: ['activities/testHooks.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [js.configs.recommended],
    languageOptions: { globals: { module: 'readonly', require: 'readonly', process: 'readonly' } },
  },
);
