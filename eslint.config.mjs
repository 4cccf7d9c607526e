// Lint: the recommended TypeScript rules plus the type-aware ones that matter for money code
// (a floating promise is a lost write; a misused promise is an unhandled rejection). The web app
// (web/src, typed by web/tsconfig.json, which the project service finds on its own) adds React's
// rules of hooks and the React Compiler's checks.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const moneyAndTestRules = [
  { selector: "CallExpression[callee.property.name='toFixed']", message: 'Money is integer minor units: never toFixed.' },
  { selector: "CallExpression[callee.name='parseFloat']", message: 'Money is integer minor units: never parseFloat.' },
  { selector: "MemberExpression[object.name='it'][property.name=/^(only|skip)$/]", message: 'No focused or skipped tests.' },
  { selector: "MemberExpression[object.name='describe'][property.name=/^(only|skip)$/]", message: 'No focused or skipped tests.' },
];

export default tseslint.config(
  { ignores: ['node_modules/**', '.local/**', 'dist/**', 'web/dist/**', 'web/src/generated/**', 'test-artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.mts', '**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', ...moneyAndTestRules],
    },
  },
  {
    // Layers point one way: the HTTP edge (src/http/, route files, the composition root src/app.ts)
    // and the API's entry src/server.ts) may use every domain; a domain never imports the edge. Its services take a Ctx
    // (src/auth/context.ts), throw AppError (src/shared/errors.ts) and answer rows or a
    // CsvDownload (src/shared/download.ts), which the route layer writes.
    files: ['src/**/*.ts', 'workers/**/*.ts'],
    ignores: ['src/http/**', 'src/**/*.routes.ts', 'src/app.ts', 'src/server.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/http/*', '**/http'], message: 'Domains do not import the HTTP layer: only route files, src/http/ and src/app.ts do.' }] }],
    },
  },
  {
    files: ['web/src/**/*.ts', 'web/src/**/*.tsx'],
    ...reactHooks.configs.flat.recommended,
    rules: {
      ...reactHooks.configs.flat.recommended.rules,
      'react-hooks/exhaustive-deps': 'error',
      // In the browser too, an amount never becomes a float.
      'no-restricted-syntax': [
        'error',
        ...moneyAndTestRules,
        { selector: "CallExpression[callee.object.name='Number'][callee.property.name='parseFloat']", message: 'Money is integer minor units: never parseFloat.' },
      ],
    },
  },
);
