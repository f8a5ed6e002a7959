// ESLint flat config. Type-aware rules for the TypeScript sources (src, test, migrations, vitest.config.ts — the
// files tsconfig.json includes), plain rules for the .js/.mjs/.cjs scripts. Formatting is prettier's job, not
// ESLint's: no stylistic rules here.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

// Globals of the Node.js runtime for the plain scripts (TypeScript files get them from @types/node instead).
const nodeGlobals = Object.fromEntries(
  [
    'AbortController',
    'AbortSignal',
    'Blob',
    'Buffer',
    'URL',
    'URLSearchParams',
    'TextDecoder',
    'TextEncoder',
    'clearImmediate',
    'clearInterval',
    'clearTimeout',
    'console',
    'fetch',
    'performance',
    'process',
    'queueMicrotask',
    'setImmediate',
    'setInterval',
    'setTimeout',
    'structuredClone',
  ].map((name) => [name, 'readonly']),
);

export default defineConfig([
  globalIgnores([
    'dist/',
    'node_modules/',
    '.node/',
    '.tools/',
    'coverage/',
    'var/',
    'helm/',
    // Temporary trees written (and removed) by test/arch/architecture-rules.spec.ts; they break rules on purpose.
    'test/.arch-fixtures-*/',
  ]),

  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // ARCHITECTURE §4: no `any`.
      '@typescript-eslint/no-explicit-any': 'error',
      // Keep OFF: NestJS DI reads constructor parameter types from `design:paramtypes` metadata, which tsc only
      // emits for classes imported as values. Auto-fixing `import { OrderRepository }` into `import type` would
      // compile fine and then fail at runtime ("Nest can't resolve dependencies … argument Object").
      '@typescript-eslint/consistent-type-imports': 'off',
      // Nest modules (`@Module({...}) export class OrdersModule {}`) and DTO classes are legitimately empty.
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      // Real mistakes: an un-awaited promise loses its errors (and its transaction).
      '@typescript-eslint/no-floating-promises': 'error',
      // Still catches `if (promise)` and async functions where a boolean is expected; async callbacks passed as
      // arguments (socket.on('x', async …), fastify hooks, setInterval) are common and handled inside.
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { arguments: false, attributes: false } },
      ],
      // Port implementations (in-memory fakes, cache-backed adapters) implement async interfaces without awaiting
      // anything; requiring `await` there only adds noise.
      '@typescript-eslint/require-await': 'off',
      // Static mapper/factory methods passed as callbacks (`rows.map(UserMapper.toDomain)`) are fine: the rule still
      // catches instance methods losing their `this`.
      '@typescript-eslint/unbound-method': ['error', { ignoreStatic: true }],
    },
  },

  {
    // ARCHITECTURE §4: no default exports — names stay greppable and consistent across imports.
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use a named export (ARCHITECTURE §4: no default exports).' },
        {
          selector: "ExportNamedDeclaration > ExportSpecifier[exported.name='default']",
          message: 'Use a named export (ARCHITECTURE §4: no default exports).',
        },
      ],
    },
  },

  {
    // Tests: supertest bodies and mock internals are `any`; `expect(repo.save).toHaveBeenCalled()` references
    // methods unbound on purpose.
    files: ['**/*.spec.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },

  {
    // Plain scripts and config files are outside tsconfig.json: lint them without type information.
    files: ['**/*.{js,mjs,cjs}'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: nodeGlobals },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        module: 'writable',
        require: 'readonly',
        exports: 'writable',
        __dirname: 'readonly',
        __filename: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
]);
