#!/usr/bin/env node
// The fleet soak: the chaos test (test/fleet/chaos.test.ts) over several seeds with more sellers
// and kills than `npm test` runs. CHAOS_ROUNDS (default 5), CHAOS_SELLERS (40), CHAOS_KILLS (15),
// CHAOS_SEED (first seed, default 100); CHAOS_BUDGET above 10 runs with a budget above the
// simulator's limit, to see the 429s the shared budget otherwise prevents. Needs redis-server.
import { spawnSync } from 'node:child_process';

const rounds = Number(process.env.CHAOS_ROUNDS ?? 5);
const first = Number(process.env.CHAOS_SEED ?? 100);
let failed = 0;
for (let i = 0; i < rounds; i++) {
  const env = { ...process.env, CHAOS_SEED: String(first + i), CHAOS_SELLERS: process.env.CHAOS_SELLERS ?? '40', CHAOS_KILLS: process.env.CHAOS_KILLS ?? '15' };
  const r = spawnSync('npx', ['vitest', 'run', 'test/fleet/chaos.test.ts'], { env, stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
console.log(`chaos:fleet: ${rounds - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
