// @ts-check
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import jest from 'eslint-plugin-jest';
import tseslint from 'typescript-eslint';

/**
 * Runtime code takes zod from lambda/config/zod.ts: zod/mini (issue 9: cold start), with English
 * registered and zod's JIT off before any schema parses. Classic zod and every other entry point
 * of the package are refused, so none of them comes back into a bundle.
 */
const ZOD_THROUGH_CONFIG = {
  regex: '^zod(/.*)?$',
  message:
    "Use `import * as z from '…/config/zod'`: zod/mini, with English messages and zod's JIT off before any parse.",
  allowTypeImports: true,
};

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', 'dist/', 'coverage/', '**/*.js', '**/*.mjs'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      '@typescript-eslint/no-shadow': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      'no-console': 'off',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['lambda/domain/**/*.ts'],
    rules: {
      // SPEC §2: decisions are a pure function of their inputs; time comes in as a parameter.
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'Domain code takes time as a parameter.',
        },
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'Domain code reads no environment.',
        },
      ],
      'no-restricted-imports': [
        'error',
        { patterns: [ZOD_THROUGH_CONFIG, { group: ['@aws-sdk/*', '@slack/*', '../adapters/*', 'node:*'] }] },
      ],
    },
  },
  {
    files: ['lambda/**/*.ts'],
    ignores: ['lambda/domain/**/*.ts', 'lambda/config/zod.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [ZOD_THROUGH_CONFIG] }] },
  },
  {
    files: ['test/**/*.ts'],
    ...jest.configs['flat/recommended'],
    rules: {
      ...jest.configs['flat/recommended'].rules,
      'jest/no-focused-tests': 'error',
      'jest/no-disabled-tests': 'error',
      'jest/expect-expect': ['error', { assertFunctionNames: ['expect*', 'assert*', 'fc.assert'] }],
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      // jest's asymmetric matchers (expect.objectContaining, …) are typed `any`.
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
  prettier,
);
