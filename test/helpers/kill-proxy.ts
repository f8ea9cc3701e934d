/**
 * A loopback proxy in front of the simulator that kills a child process (kill -9) at a chosen
 * request: the `at`-th request it receives, either before forwarding it (the request never
 * reaches ManoMano), after ManoMano answered but before the answer reaches the child (applied, not
 * known), or right after the answer was delivered. Tests use it to crash a run at seeded points.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Where the kill falls relative to the request. */
export type KillMode = 'before-request' | 'after-apply' | 'after-reply';
export const KILL_MODES: readonly KillMode[] = ['before-request', 'after-apply', 'after-reply'];

/** The proxy; `arm(pid, at, mode)` before starting the child, `disarm()` for the re-runs. */
export interface KillProxy {
  url: string;
  /** Requests received since the last arm(). */
  readonly seen: number;
  /** Whether the kill happened since the last arm(). */
  readonly fired: boolean;
  arm(kill: () => void, at: number, mode: KillMode): void;
  disarm(): void;
  close(): Promise<void>;
}

export async function startKillProxy(target: string): Promise<KillProxy> {
  let plan: { kill: () => void; at: number; mode: KillMode } | undefined;
  let seen = 0;
  let fired = false;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen++;
      const hit = plan && !fired && seen === plan.at ? plan : undefined;
      if (hit) fired = true;
      if (hit?.mode === 'before-request') {
        hit.kill();
        res.destroy();
        return;
      }
      const up = request(new URL(req.url ?? '/', target), { method: req.method, headers: req.headers }, (upRes) => {
        const body: Buffer[] = [];
        upRes.on('data', (c: Buffer) => body.push(c));
        upRes.on('end', () => {
          if (hit?.mode === 'after-apply') {
            hit.kill();
            res.destroy();
            return;
          }
          res.writeHead(upRes.statusCode ?? 502, upRes.headers);
          res.end(Buffer.concat(body), () => { if (hit?.mode === 'after-reply') hit.kill(); });
        });
      });
      up.on('error', () => res.destroy());
      up.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get seen() { return seen; },
    get fired() { return fired; },
    arm(kill, at, mode) { plan = { kill, at, mode }; seen = 0; fired = false; },
    disarm() { plan = undefined; },
    close: () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}
