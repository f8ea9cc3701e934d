/**
 * The in-memory store (the journal of runs against the in-process simulator) against the
 * StateStore contract. `open()` hands out the same instance: memory is one backend per process.
 */
import { MemoryStateStore } from '../../engine/state/memory.js';
import { describeStateStore } from './store-contract.js';

describeStateStore('memory', async ({ now }) => {
  const store = new MemoryStateStore({ now });
  return { open: async () => store, cleanup: async () => {} };
});
