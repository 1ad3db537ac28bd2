// Type-aware lint for the TypeScript tree, and @graphql-eslint for the public schema.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import graphqlPlugin from '@graphql-eslint/eslint-plugin';

export default tseslint.config(
  { ignores: ['node_modules/', 'src/generated/', 'dist/', 'bench/results/', 'coverage/'] },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unnecessary-condition': 'error',
      // Apollo plugin hooks and store interfaces are async by contract, whether or not an implementation awaits
      '@typescript-eslint/require-await': 'off',
      // `_`-prefixed bindings name what a rest-destructure leaves out on purpose
      '@typescript-eslint/no-unused-vars': ['error', { varsIgnorePattern: '^_', argsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests and benchmarks read GraphQL and REST answers as untyped JSON: asserting on them is the point.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['schema.graphql'],
    languageOptions: {
      parser: graphqlPlugin.parser,
      parserOptions: { graphQLConfig: { schema: './schema.graphql' } },
    },
    plugins: { '@graphql-eslint': graphqlPlugin },
    rules: {
      ...graphqlPlugin.configs['flat/schema-recommended'].rules,
      // An object with an identity has exactly one `id: ID!`. The exceptions have none of their own: Relay
      // plumbing (connections, edges, page info), mutation payloads and per-call results, and values that
      // exist only inside their parent and are never fetched or cached apart from it (a run's metrics, a
      // flow's schedule, a count, a user error, a column, a field of a schema, one mapping of a mapping set).
      '@graphql-eslint/strict-id-in-types': [
        'error',
        {
          exceptions: {
            suffixes: ['Connection', 'Edge', 'Payload', 'Result'],
            types: [
              'AuthSpec',
              'BaseConnectionAuth',
              'BatchError',
              'DataflowStep',
              'DeltaColumn',
              'FleetHealth',
              'FlowHealthChange',
              'FlowOperation',
              'FlowOptions',
              'HealthCount',
              'IngestionPoint',
              'Mapping',
              'MappingSuggestion',
              'MappingValidation',
              'MappingValidationError',
              'PageInfo',
              'PreviewColumn',
              'RunError',
              'RunMetrics',
              'Schedule',
              'SourceColumn',
              'SourceObject',
              'SpecHealthCount',
              'SuggestedMapping',
              'Transformation',
              'TransformationSpec',
              'UserError',
              'XdmField',
            ],
          },
        },
      ],
    },
  },
);
