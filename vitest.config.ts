import { defineConfig } from 'vitest/config';

// Decorators need the legacy (TypeScript experimental) semantics plus design:type metadata, exactly as tsc emits
// them for the build, otherwise Nest's DI and class-validator see different classes in tests than in production.
const oxc = { decorator: { legacy: true, emitDecoratorMetadata: true } } as const;

export default defineConfig({
  oxc,
  test: {
    globals: true,
    setupFiles: ['reflect-metadata'],
    projects: [
      { oxc, test: { name: 'unit', include: ['src/**/*.spec.ts'], setupFiles: ['reflect-metadata'], globals: true } },
      {
        oxc,
        test: {
          name: 'arch',
          include: ['test/arch/**/*.spec.ts'],
          exclude: ['test/arch/.fixtures-*/**'],
          globals: true,
          testTimeout: 60_000,
        },
      },
      {
        oxc,
        test: {
          name: 'integration',
          // Integration and e2e share one database per profile: run them one after the other, not side by side.
          sequence: { groupOrder: 1 },
          include: ['test/integration/**/*.spec.ts'],
          setupFiles: ['reflect-metadata'],
          globals: true,
          testTimeout: 30_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        oxc,
        test: {
          name: 'e2e',
          sequence: { groupOrder: 2 },
          include: ['test/e2e/**/*.spec.ts'],
          setupFiles: ['reflect-metadata'],
          globals: true,
          testTimeout: 30_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        oxc,
        test: {
          // Measurements, not tests (`npm run bench:outbox`): never part of `npm test`.
          name: 'bench',
          include: ['test/bench/**/*.bench.spec.ts'],
          setupFiles: ['reflect-metadata'],
          globals: true,
          testTimeout: 600_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
