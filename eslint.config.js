import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/', 'prisma/generated/', '.data/', 'coverage/', 'ui/build*/', 'ui/.svelte-kit*/', 'ui/e2e/screenshots/', 'ui/src/lib/api-types.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Plugins import each other only through events and actions, never by path.
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/plugins/*/**', '../../*/src/**'], message: 'Plugins talk to each other through events and actions, not imports.' }] }],
    },
  },

  // The UI's TypeScript runs in the browser (its .svelte files are checked by svelte-check).
  { files: ['ui/src/**/*.ts'], languageOptions: { globals: { ...globals.browser } } },
);
