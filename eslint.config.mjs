// Lint: the recommended TypeScript rules plus the type-aware ones that matter for money code
// (a floating promise is a lost write; a misused promise is an unhandled rejection).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', '.local/**', 'dist/**', 'web/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.property.name='toFixed']", message: 'Money is integer minor units: never toFixed.' },
        { selector: "CallExpression[callee.name='parseFloat']", message: 'Money is integer minor units: never parseFloat.' },
        { selector: "MemberExpression[object.name='it'][property.name=/^(only|skip)$/]", message: 'No focused or skipped tests.' },
        { selector: "MemberExpression[object.name='describe'][property.name=/^(only|skip)$/]", message: 'No focused or skipped tests.' },
      ],
    },
  },
);
