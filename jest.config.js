/** Unit specs sit beside the code; integration and e2e suites live under test/. */
const tsJest = ['ts-jest', { diagnostics: false }];
module.exports = {
  testTimeout: 60000,
  // Suites run in worker processes even with one worker (a 2-core CI machine): a suite that leaves a
  // handle open cannot keep the run from exiting, and each worker is recycled when it grows.
  workerIdleMemoryLimit: '1536MB',
  // Most integration suites wait on blocks, sockets and child processes: two at a time on two cores.
  maxWorkers: 2,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      rootDir: __dirname,
      roots: ['<rootDir>/src'],
      testMatch: ['**/*.spec.ts'],
      transform: { '^.+\\.ts$': tsJest },
      setupFiles: ['<rootDir>/test/support/setup-env.ts'],
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      rootDir: __dirname,
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.int-spec.ts', '**/*.e2e-spec.ts'],
      // The e2e suite runs the whole devnet; the chain suites are heavy too.
      slowTestThreshold: 60,
      transform: { '^.+\\.ts$': tsJest },
      setupFiles: ['<rootDir>/test/support/setup-env.ts'],
    },
  ],
};
