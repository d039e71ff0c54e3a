// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// Apps and packages talk only through package names: a path into another
// project's src/ would bypass its public surface, and a package importing an
// app would turn the dependency arrows around (see ARCHITECTURE.md).
const crossProjectSrc = {
  group: [
    '@beckon/*/src',
    '@beckon/*/src/**',
    '**/packages/*/src/**',
    '**/apps/*/src/**',
    // Relative paths that climb out of a project into a sibling's src/.
    '../../*/src/**',
    '../../../*/src/**',
    '../../../../*/src/**',
  ],
  message: "Import another project by its package name (e.g. '@beckon/protocol'), never its src/.",
};
const appImports = {
  group: [
    '@beckon/broker',
    '@beckon/broker/**',
    '@beckon/agent-desktop',
    '@beckon/agent-desktop/**',
    '@beckon/assist-client',
    '@beckon/assist-client/**',
    '**/apps/**',
  ],
  message: 'Packages never import apps.',
};

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/out/**',
      '.tools/**',
      'test-results/**',
      'playwright-report/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.node, ...globals.browser },
      ecmaVersion: 2023,
      sourceType: 'module',
    },
    rules: {
      'no-restricted-imports': ['error', { patterns: [crossProjectSrc] }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['packages/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [crossProjectSrc, appImports] }] },
  },
);
