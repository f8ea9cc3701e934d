/**
 * `manoflow sandbox` flags of the stricter simulator, as a user runs them: --now pins the data
 * (the examples' orders exist), --lenient and --patch-errors relax the gateway; bad values are
 * usage errors (exit 2). Needs `npm run build` (npm test does it).
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { bin, repoRoot, runCli } from '../helpers/cli.js';
import { api } from '../fixtures/simulator/http.js';

describe('manoflow sandbox --now, --lenient, --patch-errors', () => {
  it('serves the pinned world leniently', async () => {
    const child = spawn(process.execPath, [bin, 'sandbox', '--port', '0', '--now', '2026-10-01T00:00:00Z', '--lenient', 'dates,query', '--patch-errors', '207'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d) => { stdout += d; if (stdout.includes('Press Ctrl+C')) resolve(); });
        child.on('close', () => reject(new Error(`sandbox exited early:\n${stdout}`)));
      });
      expect(stdout).toContain('clock:      pinned at 2026-10-01T00:00:00Z');
      expect(stdout).toMatch(/categories: \d{3} \(\d{3} final\), \d+ feed fields/);
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)![1]!;
      const key = 'sandbox-key-0001';
      // the examples' shipment CSV names this order: the pinned world has it
      expect((await api(url, key, { path: '/orders/v1/orders/M20260808100069?seller_contract_id=110841' })).status).toBe(200);
      expect((await api(url, key, { path: '/orders/v1/orders?seller_contract_id=110841&created_at_start=2026-09-01&status=PENDING&status=SHIPPED' })).status).toBe(200);
      const patch = await api(url, key, { method: 'PATCH', path: '/api/v2/offer-information/offers', body: { content: [{ seller_contract_id: 110841, items: [{ sku: 'NOPE', stock: { quantity: 1 } }] }] } });
      expect(patch.status).toBe(207);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('refuses unknown strictness names, a bad status and a bad date (exit 2)', async () => {
    const lenient = await runCli(['sandbox', '--port', '0', '--lenient', 'dates,everything']);
    expect([lenient.code, lenient.stderr]).toEqual([2, expect.stringContaining('--lenient: unknown check "everything"')]);
    expect(lenient.stderr).toContain('query, dates, contract-ids, tracking-url');
    expect((await runCli(['sandbox', '--port', '0', '--patch-errors', '204'])).code).toBe(2);
    const now = await runCli(['sandbox', '--port', '0', '--now', 'yesterday']);
    expect([now.code, now.stderr]).toEqual([2, expect.stringContaining('--now expects an ISO-8601 date, got "yesterday"')]);
  });
});
