/**
 * The shared state store: the StateStore contract (engine/state/store.ts) on Redis, for a fleet of
 * workers on several machines. Every write is one Lua script (scripts.ts), so the fence check and
 * the write are atomic and a write applies all of its items or none. Reads go by key (HMGET) or by
 * range (ZRANGEBYLEX for the journal listed by state and key). Lock expiry uses the Redis server's
 * clock unless the store was given one (tests), so machines with skewed clocks agree.
 *
 * Durability is what the Redis server is configured for: a write is acknowledged once applied in
 * memory, and survives a crash of Redis only with `appendonly yes` (and `appendfsync always` to
 * lose nothing); docs/scale-out.md says so and `manoflow worker` warns when persistence is off.
 */
import { Redis } from 'ioredis';
import { ManoflowError } from '../../errors.js';
import {
  ACTION_STATES, lockLostError, type ActionEntry, type ActionState, type ConfirmedOffer, type FeedbackRecord, type KnownOffer,
  type Lease, type LockAttempt, type LockHolder, type LockInfo, type PruneResult, type StateStore, type StoreOptions, type StoreStats,
} from '../store.js';
import { redisError } from './connection.js';
import { CONFIRM_OFFERS, PRUNE, RECORD_ACTIONS, RECORD_FEEDBACK, RELEASE_LOCK, RENEW_LOCK, SAVE_CURSOR, TRY_LOCK } from './scripts.js';

/** Why: the layout version of the keys; stats report it and a later layout can migrate from it. */
export const REDIS_SCHEMA_VERSION = 1;

/** Keys per command when reading many at once (HMGET), to keep each reply small. */
const CHUNK = 1000;

/** Options of the Redis store: the key prefix, and the clock (tests; default: the server's). */
export interface RedisStoreOptions extends StoreOptions {
  prefix: string;
  /** Shown in messages and stats: the URL without its password. */
  display: string;
}

type ScriptReply = string[];

/** Why: the store a fleet shares; `redis` is an ioredis connection the caller owns unless `ownsConnection`. */
export class RedisStateStore implements StateStore {
  readonly location: string;
  private readonly prefix: string;
  private readonly now?: () => number;
  private readonly shas = new Map<string, string>();

  constructor(private readonly redis: Redis, o: RedisStoreOptions, private readonly ownsConnection = false) {
    this.prefix = o.prefix;
    this.location = `${o.display} (keys ${o.prefix}:*)`;
    this.now = o.now;
  }

  async getActions(keys: readonly string[]): Promise<Map<string, ActionEntry>> {
    const out = new Map<string, ActionEntry>();
    for (let i = 0; i < keys.length; i += CHUNK) {
      const part = keys.slice(i, i + CHUNK);
      if (part.length === 0) continue;
      const rows = await this.call('reading the journal', () => this.redis.hmget(this.k('actions'), ...part));
      rows.forEach((json, j) => { if (json) out.set(part[j]!, JSON.parse(json) as ActionEntry); });
    }
    return out;
  }

  async recordActions(entries: readonly ActionEntry[], fence?: Lease): Promise<void> {
    const args: string[] = [];
    for (const e of entries) {
      const clean = cleanEntry(e);
      args.push(clean.key, clean.state, JSON.stringify(clean), String(scoreOf(clean.at)));
    }
    await this.fenced(RECORD_ACTIONS, fence, 'journal write', 'recording order actions', args);
  }

  async listActions(q: { state: ActionState; contract?: number; limit: number; afterKey?: string }): Promise<ActionEntry[]> {
    let min = q.contract === undefined ? '-' : `[${q.contract}:`;
    const max = q.contract === undefined ? '+' : `(${q.contract};`;
    if (q.afterKey !== undefined && (min === '-' || q.afterKey >= min.slice(1))) min = `(${q.afterKey}`;
    const keys = await this.call('listing the journal', () => this.redis.zrangebylex(this.k(`actions:${q.state}`), min, max, 'LIMIT', 0, q.limit));
    const got = await this.getActions(keys);
    return keys.map((k) => got.get(k)).filter((e): e is ActionEntry => e !== undefined && e.state === q.state);
  }

  async getOffers(scope: string, skus: readonly string[]): Promise<Map<string, KnownOffer>> {
    const out = new Map<string, KnownOffer>();
    for (let i = 0; i < skus.length; i += CHUNK) {
      const part = skus.slice(i, i + CHUNK);
      if (part.length === 0) continue;
      const rows = await this.call('reading confirmed offers', () => this.redis.hmget(this.k(`offers:${scope}`), ...part));
      rows.forEach((v, j) => {
        if (v === null) return;
        const [price = '', quantity = ''] = v.split('|');
        const k: KnownOffer = {};
        if (price !== '') k.price = Number(price);
        if (quantity !== '') k.quantity = Number(quantity);
        out.set(part[j]!, k);
      });
    }
    return out;
  }

  async confirmOffers(scope: string, updates: readonly ConfirmedOffer[], fence?: Lease): Promise<void> {
    const args = [scope];
    for (const u of updates) args.push(u.sku, u.price === undefined ? '' : String(u.price), u.quantity === undefined ? '' : String(u.quantity));
    await this.fenced(CONFIRM_OFFERS, fence, 'offers snapshot write', 'saving confirmed offers', args);
  }

  async loadCursor(name: string): Promise<unknown> {
    const v = await this.call('reading a cursor', () => this.redis.hget(this.k('cursors'), name));
    return v === null ? undefined : JSON.parse(v);
  }

  async saveCursor(name: string, value: unknown, fence?: Lease): Promise<void> {
    await this.fenced(SAVE_CURSOR, fence, 'cursor write', 'saving a cursor', [name, JSON.stringify(value ?? null)]);
  }

  async recordFeedback(records: readonly FeedbackRecord[]): Promise<void> {
    if (records.length === 0) return;
    const args: string[] = [];
    for (const r of records) args.push(r.pipeline, String(scoreOf(r.at)), JSON.stringify(r));
    await this.script(RECORD_FEEDBACK, args, 'keeping feedback');
  }

  async listFeedback(q: { pipeline: string; since?: string; limit?: number }): Promise<FeedbackRecord[]> {
    const min = q.since === undefined ? '-inf' : String(scoreOf(q.since));
    const rows = await this.call('reading feedback', () => (q.limit === undefined
      ? this.redis.zrangebyscore(this.k(`fb:${q.pipeline}`), min, '+inf')
      : this.redis.zrangebyscore(this.k(`fb:${q.pipeline}`), min, '+inf', 'LIMIT', 0, q.limit)));
    return rows.map((m) => JSON.parse(m.slice(m.indexOf('|') + 1)) as FeedbackRecord);
  }

  async tryLock(name: string, holder: LockHolder, ttlMs: number, replacing?: number): Promise<LockAttempt> {
    const r = await this.script(TRY_LOCK, [name, JSON.stringify(holder), String(Math.round(ttlMs)), replacing === undefined ? '' : String(replacing)], 'taking a lock') as ScriptReply;
    const info = lockInfo(name, r[1]!, r[2]!, r[3]!);
    if (r[0] === '1') return { ok: true, lease: { name, token: info.token, expiresAt: info.expiresAt, holder: { ...holder } } };
    return { ok: false, current: info };
  }

  async renewLock(lease: Lease, ttlMs: number): Promise<boolean> {
    const r = await this.script(RENEW_LOCK, [lease.name, String(lease.token), String(Math.round(ttlMs))], 'renewing a lock') as unknown as string;
    if (!r) return false;
    lease.expiresAt = Number(r);
    return true;
  }

  async releaseLock(lease: Lease): Promise<void> {
    await this.script(RELEASE_LOCK, [lease.name, String(lease.token)], 'releasing a lock');
  }

  async prune(before: { done: string; feedback: string }, o: { dryRun?: boolean; limit?: number } = {}): Promise<PruneResult> {
    const r = await this.script(PRUNE, [String(scoreOf(before.done)), String(scoreOf(before.feedback)), o.dryRun ? '1' : '', o.limit === undefined ? '' : String(o.limit)], 'pruning') as ScriptReply;
    return { done: Number(r[0]), feedback: Number(r[1]) };
  }

  async stats(): Promise<StoreStats> {
    const actions = Object.fromEntries(ACTION_STATES.map((s) => [s, 0])) as Record<ActionState, number>;
    for (const s of ACTION_STATES) actions[s] = await this.call('reading stats', () => this.redis.zcard(this.k(`actions:${s}`)));
    const first = await this.call('reading stats', () => this.redis.zrange(this.k('done_at'), 0, 0));
    const oldest = first[0] ? (await this.getActions([first[0]])).get(first[0])?.at : undefined;
    const scopes = (await this.call('reading stats', () => this.redis.smembers(this.k('offer_scopes')))).sort();
    const offers: { scope: string; skus: number }[] = [];
    for (const scope of scopes) offers.push({ scope, skus: await this.redis.hlen(this.k(`offers:${scope}`)) });
    const cursors = await this.redis.hlen(this.k('cursors'));
    let lines = 0;
    let oldestFeedback: string | undefined;
    for (const p of await this.redis.smembers(this.k('fb_pipelines'))) {
      lines += await this.redis.zcard(this.k(`fb:${p}`));
      const head = (await this.redis.zrange(this.k(`fb:${p}`), 0, 0))[0];
      const at = head ? (JSON.parse(head.slice(head.indexOf('|') + 1)) as FeedbackRecord).at : undefined;
      if (at !== undefined && (oldestFeedback === undefined || at < oldestFeedback)) oldestFeedback = at;
    }
    const now = this.now ? this.now() : await this.serverTime();
    const locks: LockInfo[] = [];
    for (const name of (await this.redis.smembers(this.k('locks'))).sort()) {
      const [token, holder, expires] = await this.redis.hmget(this.k(`lock:${name}`), 'token', 'holder', 'expires');
      if (holder && Number(expires) > now) locks.push(lockInfo(name, token!, holder, expires!));
    }
    return {
      backend: { kind: 'redis', location: this.location, schemaVersion: REDIS_SCHEMA_VERSION },
      actions, ...(oldest ? { oldestDone: oldest } : {}), offers, cursors,
      feedback: { lines, ...(oldestFeedback ? { oldest: oldestFeedback } : {}) }, locks,
    };
  }

  async close(): Promise<void> {
    if (this.ownsConnection && this.redis.status !== 'end') await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private k(suffix: string): string {
    return `${this.prefix}:${suffix}`;
  }

  private async serverTime(): Promise<number> {
    const [s, us] = await this.redis.time();
    return Number(s) * 1000 + Math.floor(Number(us) / 1000);
  }

  private async fenced(lua: string, fence: Lease | undefined, what: string, doing: string, args: string[]): Promise<void> {
    const r = await this.script(lua, [fence?.name ?? '', fence ? String(fence.token) : '', ...args], doing) as ScriptReply;
    if (r[0] === 'LOST' && fence) {
      throw lockLostError(fence, what, r[2] ? lockInfo(fence.name, r[1]!, r[2], r[3]!) : undefined);
    }
  }

  /** Runs a script by its SHA (loading it once per connection), with P and the clock first. */
  private async script(lua: string, args: string[], doing: string): Promise<unknown> {
    const argv = [this.prefix, this.now ? String(this.now()) : '', ...args];
    return this.call(doing, async () => {
      let sha = this.shas.get(lua);
      if (sha === undefined) {
        sha = await this.redis.script('LOAD', lua) as string;
        this.shas.set(lua, sha);
      }
      try {
        return await this.redis.evalsha(sha, 0, ...argv);
      } catch (err) {
        if (!String((err as Error).message).includes('NOSCRIPT')) throw err;
        this.shas.delete(lua); // the server restarted or flushed its scripts
        return this.redis.eval(lua, 0, ...argv);
      }
    });
  }

  private async call<T>(doing: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw redisError(err, doing, this.location);
    }
  }
}

/** The time of an ISO date in ms for a sorted-set score (0 when it does not parse: pruned first). */
function scoreOf(iso: string): number {
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : 0;
}

function lockInfo(name: string, token: string, holder: string, expires: string): LockInfo {
  let h: LockHolder;
  try {
    h = JSON.parse(holder || '{}') as LockHolder;
  } catch {
    throw new ManoflowError('STATE_REDIS_CORRUPT', `the lock "${name}" holds an unreadable holder`, { hint: 'delete the lock key in Redis (it expires by itself otherwise) and report it' });
  }
  return { name, token: Number(token), expiresAt: Number(expires), holder: h };
}

/** Optional fields absent rather than undefined, as every store returns them. */
function cleanEntry(e: ActionEntry): ActionEntry {
  const out: ActionEntry = { key: e.key, action: e.action, contract: e.contract, order_reference: e.order_reference, state: e.state, at: e.at, run: e.run };
  if (e.fingerprint !== undefined) out.fingerprint = e.fingerprint;
  if (e.code !== undefined) out.code = e.code;
  if (e.message !== undefined) out.message = e.message;
  if (e.payload !== undefined) out.payload = e.payload;
  return out;
}
