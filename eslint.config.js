import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/.turbo/**',
      '**/coverage/**',
      '.bench-data/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ExportDefaultDeclaration',
          message: 'Use named exports only (house style).',
        },
      ],
    },
  },
  {
    // The store's SQL lives in its table modules (schema, the index's writes and reads, the
    // identity index, the bulk rebuild and its row writer, the transaction core); everything else
    // calls them.
    files: ['packages/store/src/**/*.ts'],
    ignores: [
      'packages/store/src/{schema,sqlite-index,sqlite-reads,sqlite-identity-index,rebuild,rebuild-rows,store-core}.ts',
      'packages/store/src/**/*.test.ts',
      'packages/store/src/test-support/**',
    ],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ExportDefaultDeclaration',
          message: 'Use named exports only (house style).',
        },
        {
          selector:
            "CallExpression[callee.type='MemberExpression'][callee.property.name=/^(prepare|exec|pragma)$/]",
          message:
            "SQL belongs in the store's table modules (sqlite-reads.ts, sqlite-index.ts, …).",
        },
        {
          selector: "MemberExpression[property.name='db']",
          message:
            "Reach the index through StoreCore's table modules (core.reads, core.index), not its connection.",
        },
      ],
    },
  },
  {
    files: ['**/*.config.{js,ts,mjs}', 'eslint.config.js'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
