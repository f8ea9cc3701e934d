/**
 * Fleet test helpers: worker processes (`manoflow worker` as children, killable with -9 and
 * restartable), the queue as the test reads it (BullMQ over the test redis-server), and bounded
 * waits on conditions (never on durations).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Queue } from 'bullmq';
import { connectRedis } from '../../engine/state/redis/connection.js';
import { QUEUE_PREFIX } from '../../engine/fleet/queue.js';
import { bin, repoRoot } from './cli.js';

/** A `manoflow worker` child process and what it printed. */
export interface WorkerProcess {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves once it printed that it waits for jobs. */
  ready: Promise<void>;
}

/** Why: the chaos test and the fleet tests start workers exactly as an operator would. */
export function spawnWorker(args: string[], env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, [bin, 'worker', ...args], { cwd: repoRoot, env: { ...process.env, FORCE_COLOR: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const w = { child, stdout: '', stderr: '' } as WorkerProcess;
  let readyResolve!: () => void;
  w.ready = new Promise<void>((r) => (readyResolve = r));
  child.stdout!.on('data', (d) => (w.stdout += String(d)));
  child.stderr!.on('data', (d) => {
    w.stderr += String(d);
    if (w.stderr.includes('waiting for jobs')) readyResolve();
  });
  w.exited = new Promise((r) => child.on('exit', (code, signal) => { readyResolve(); r({ code, signal }); }));
  return w;
}

/** Why: waits for a condition in a bounded loop; the message says what never happened. */
export async function until(cond: () => boolean | Promise<boolean>, what: string, o: { tries?: number; everyMs?: number } = {}): Promise<void> {
  for (let i = 0; i < (o.tries ?? 1200); i++) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, o.everyMs ?? 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The project's queue as the test reads it. */
export function testQueue(url: string, name = 'manoflow'): { queue: Queue; close(): Promise<void> } {
  const connection = connectRedis(url, { name: 'test' });
  const queue = new Queue(name, { connection, prefix: QUEUE_PREFIX });
  return {
    queue,
    async close() {
      await queue.close();
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}
