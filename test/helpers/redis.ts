/**
 * A real redis-server for the tests that need one: started on a free loopback port with its own
 * temp dir (no RDB snapshots unless asked, append-only file when asked), stopped afterwards.
 * `.ci/run` installs Debian's redis-server; where it is not installed the suites that need it are
 * skipped, and their name says why (REDIS_SKIP_REASON).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const REDIS_BIN = process.env.MANOFLOW_TEST_REDIS_SERVER ?? 'redis-server';

/** Why: suites call describe.skipIf(!HAS_REDIS) and put the reason in their name. */
export const HAS_REDIS = spawnSync(REDIS_BIN, ['--version'], { stdio: 'ignore' }).status === 0;
export const REDIS_SKIP_REASON = HAS_REDIS ? '' : ` (skipped: ${REDIS_BIN} is not installed; apt-get install -y redis-server, as .ci/run does)`;

/** A running redis-server of one test file. */
export interface TestRedis {
  url: string;
  port: number;
  dir: string;
  process: ChildProcess;
  /** Kills it with SIGKILL (a crash) and starts it again on the same port and dir. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ host: '127.0.0.1', port });
    let got = '';
    s.on('data', (d) => {
      got += String(d);
      if (got.includes('PONG')) { s.destroy(); resolve(true); }
    });
    s.on('error', () => resolve(false));
    s.on('connect', () => s.write('PING\r\n'));
    setTimeout(() => { s.destroy(); resolve(false); }, 1000).unref();
  });
}

/** Why: one redis-server per test file; `appendonly` for the tests that restart it and expect their data back. */
export async function startRedis(o: { appendonly?: boolean } = {}): Promise<TestRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'mf-redis-'));
  const port = await freePort();
  let child: ChildProcess;
  const launch = async () => {
    child = spawn(REDIS_BIN, [
      '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '',
      '--appendonly', o.appendonly ? 'yes' : 'no', ...(o.appendonly ? ['--appendfsync', 'always'] : []),
      '--daemonize', 'no', '--logfile', '',
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d) => (stderr += String(d)));
    for (let i = 0; i < 200; i++) {
      if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}: ${stderr}`);
      if (await answersPing(port)) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    child.kill('SIGKILL');
    throw new Error(`redis-server did not answer PING on port ${port}: ${stderr}`);
  };
  const exited = (c: ChildProcess) => new Promise<void>((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once('exit', () => r())));
  await launch();
  const handle: TestRedis = {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    get process() { return child; },
    async restart() {
      child.kill('SIGKILL');
      await exited(child);
      await launch();
    },
    async stop() {
      child.kill('SIGKILL');
      await exited(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return handle;
}
