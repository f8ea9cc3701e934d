import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Only a bound on a hung test: tests wait on events and conditions, never on durations, and a
    // passing test ends when it is done. On a shared 2-core machine under load a test that spawns
    // a few CLIs can take 3-4 times its usual time (issue 11: 30 s made such tests fail under load).
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Tests start real servers and child processes; two workers match the machine's two cores.
    maxWorkers: 2,
  },
});
