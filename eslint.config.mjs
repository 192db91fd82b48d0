import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const SQL_LIVES_IN_PERSISTENCE =
  'SQL lives in libs/persistence: add a method to a repository in libs/persistence/src/repositories and inject it.';

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', '.local/**', 'ops/kafka/lib/**', 'jest.config.js', 'reports/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: false } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['scripts/**/*.js', 'ops/alertmanager/*.js', 'bin/**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', process: 'readonly', __dirname: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The domain library is plain TypeScript: no framework, no I/O.
    files: ['libs/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            '@nestjs/*',
            'typeorm',
            'kafkajs',
            'pg',
            'prom-client',
            'fs',
            'node:*',
            '@abuse-monitor/*',
          ],
        },
      ],
    },
  },
  {
    // One data layer: statements and TypeORM's query APIs only in libs/persistence and migrations.
    // Tests and benches seed and inspect their own databases with SQL, so they may too. An app may
    // hold a DataSource (a composition root connects one) and hand an EntityManager along as a
    // transaction, but never query through either.
    files: ['**/*.ts'],
    ignores: [
      // The domain's own rule (above) already forbids every framework and I/O import there.
      'libs/domain/**',
      'libs/persistence/**',
      'migrations/**',
      'test/**',
      'bench/**',
    ],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.property.name='query']", message: SQL_LIVES_IN_PERSISTENCE },
        {
          selector:
            'CallExpression[callee.property.name=/^(createQueryBuilder|createQueryRunner|getRepository|getTreeRepository|getMongoRepository)$/]',
          message: SQL_LIVES_IN_PERSISTENCE,
        },
        { selector: "MemberExpression[object.property.name='manager']", message: SQL_LIVES_IN_PERSISTENCE },
      ],
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'typeorm',
              allowImportNames: ['DataSource', 'EntityManager'],
              message: SQL_LIVES_IN_PERSISTENCE,
            },
          ],
          patterns: [{ group: ['typeorm/*', 'pg', 'pg/*'], message: SQL_LIVES_IN_PERSISTENCE }],
        },
      ],
    },
  },
);
