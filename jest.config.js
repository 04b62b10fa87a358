// Nest 12 ships ESM packages; jest on Node 20 cannot require(esm), so those are compiled to CJS by swc.
const transform = {
  '^.+\\.(t|j)sx?$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        keepClassNames: true,
        target: 'es2022',
      },
      module: { type: 'commonjs' },
    },
  ],
};
const esmPackages = [
  '@nestjs',
  'temporal-polyfill',
  'temporal-spec',
  'temporal-utils',
  'file-type',
  'strtok3',
  'token-types',
  'uint8array-extras',
  '@tokenizer',
  'load-esm',
];
const base = {
  testEnvironment: 'node',
  transform,
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
};
const integration = (db) => ({
  ...base,
  displayName: `integration:${db}`,
  testMatch: ['<rootDir>/test/integration/**/*.e2e-spec.ts'],
  setupFiles: [`<rootDir>/test/support/use-${db}.ts`],
});

module.exports = {
  testTimeout: 30000,
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/web/**/*.spec.ts'] },
    { ...base, displayName: 'contract', testMatch: ['<rootDir>/test/contract/**/*.spec.ts'] },
    integration('postgres'),
    integration('sqlite'),
    // The page in a real Chromium against the app on PostgreSQL with the simulator (test/browser/README.md).
    {
      ...base,
      displayName: 'browser',
      testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
      setupFiles: ['<rootDir>/test/support/use-postgres.ts'],
    },
  ],
};
