/**
 * Locks kept in the state store, with the policy around StateStore.tryLock: wait (polling) for a
 * live holder up to a timeout (STATE_LOCKED, naming the holder), take over at once from a holder
 * that crashed on this host (its pid is gone), renew the lease while it is held (a heartbeat every
 * third of its time to live), and release it on release(), on process exit, or by expiry when the
 * process died elsewhere. The lease's fencing token guards every write made under it.
 */
import { hostname } from 'node:os';
import { ManoflowError } from '../errors.js';
import { DEFAULT_LOCK_TIMEOUT_MS } from './lock.js';
import type { Lease, LockHolder, LockInfo, StateStore } from './store.js';

/** Why: a paused or crashed holder on another host blocks others at most this long (ms). */
export const DEFAULT_LOCK_TTL_MS = 60_000;

/** Why: MANOFLOW_LOCK_TTL (seconds) for operators whose runs stall longer (slow disks, suspended VMs). */
export function lockTtlFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const s = Number(env.MANOFLOW_LOCK_TTL);
  return env.MANOFLOW_LOCK_TTL && Number.isFinite(s) && s >= 1 ? Math.round(s * 1000) : DEFAULT_LOCK_TTL_MS;
}

/** How to wait for a state lock. */
export interface StateLockOptions {
  /** Give up after this long (ms); default DEFAULT_LOCK_TIMEOUT_MS (MANOFLOW_LOCK_TIMEOUT). */
  timeoutMs?: number;
  /** Delay between attempts (ms); default 100. */
  pollMs?: number;
  /** Lease time to live (ms); default lockTtlFromEnv(). */
  ttlMs?: number;
  /** What the holder does, for messages: `sending order actions`. */
  purpose?: string;
  /** Called once, when the first attempt finds the lock held. */
  onWait?(current: LockInfo): void;
  /** Stops waiting (RUN_ABORTED) when aborted. */
  signal?: AbortSignal;
}

/** A lock this process holds: its lease (the fence for writes) and how to let it go. */
export interface HeldStateLock {
  readonly lease: Lease;
  /** Set when a renewal found the lease lost (the next fenced write fails with STATE_LOCK_LOST). */
  readonly lost: boolean;
  release(): Promise<void>;
}

interface Held { store: StateStore; lease: Lease; timer: NodeJS.Timeout; lost: boolean }
const held = new Map<string, Held>();
const heldKey = (store: StateStore, name: string, token: number) => `${store.location}\u0000${name}\u0000${token}`;

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Why: a holder is judged stale only on this host: its pid is gone, or it is this very pid but
 * not a lock this process holds (a pid reused in a container after a crash). Anything else waits
 * for release or expiry.
 */
export function isStaleHolder(store: StateStore, current: LockInfo): boolean {
  const h = current.holder;
  if (h.host !== hostname()) return false;
  if (h.pid === process.pid) return !held.has(heldKey(store, current.name, current.token));
  return !pidAlive(h.pid);
}

function lockedError(store: StateStore, current: LockInfo, purpose: string | undefined, waitedMs: number): ManoflowError {
  const h = current.holder;
  const expires = new Date(current.expiresAt).toISOString();
  return new ManoflowError('STATE_LOCKED', `another manoflow run (pid ${h.pid} on ${h.host}, since ${h.since})${h.purpose ? ` is ${h.purpose} and` : ''} still holds the lock "${current.name}" of ${store.location} after ${Math.round(waitedMs / 1000)} s of waiting${purpose ? ` to start ${purpose}` : ''}`, {
    hint: `wait for that run to finish and run again (MANOFLOW_LOCK_TIMEOUT=<seconds> waits longer); if that run is gone, its lock expires by itself at ${expires} unless renewed`,
  });
}

/** Why: takes a lock of the state store, waiting while another live run holds it; STATE_LOCKED on timeout. */
export async function acquireStateLock(store: StateStore, name: string, o: StateLockOptions = {}): Promise<HeldStateLock> {
  const timeout = o.timeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  const ttl = o.ttlMs ?? lockTtlFromEnv();
  const started = Date.now();
  const me: LockHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString(), ...(o.purpose ? { purpose: o.purpose } : {}) };
  let told = false;
  for (;;) {
    let attempt = await store.tryLock(name, me, ttl);
    if (!attempt.ok && isStaleHolder(store, attempt.current)) attempt = await store.tryLock(name, me, ttl, attempt.current.token);
    if (attempt.ok) return hold(store, attempt.lease, ttl);
    const waited = Date.now() - started;
    if (waited >= timeout) throw lockedError(store, attempt.current, o.purpose, waited);
    if (o.signal?.aborted) throw new ManoflowError('RUN_ABORTED', `run aborted while waiting for the lock "${name}"`);
    if (!told) { told = true; o.onWait?.(attempt.current); }
    await new Promise((r) => setTimeout(r, Math.min(o.pollMs ?? 100, Math.max(1, timeout - waited))));
  }
}

function hold(store: StateStore, lease: Lease, ttl: number): HeldStateLock {
  const key = heldKey(store, lease.name, lease.token);
  const entry: Held = { store, lease, lost: false, timer: setInterval(() => void renew(), Math.max(250, Math.floor(ttl / 3))) };
  entry.timer.unref();
  held.set(key, entry);
  installExitHook();
  async function renew(): Promise<void> {
    try {
      if (!(await store.renewLock(lease, ttl))) {
        entry.lost = true;
        clearInterval(entry.timer);
      }
    } catch {
      // the store is closing or unreachable: the next fenced write says so
    }
  }
  return {
    lease,
    get lost() { return entry.lost; },
    async release() {
      clearInterval(entry.timer);
      if (!held.delete(key)) return;
      try {
        await store.releaseLock(lease);
      } catch {
        // already closed: the lease expires by itself
      }
    },
  };
}

let hooked = false;
function installExitHook(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => {
    for (const h of held.values()) {
      try {
        h.store.releaseLockSync?.(h.lease);
      } catch {
        // expiry releases it
      }
    }
    held.clear();
  });
}
