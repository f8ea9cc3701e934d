/**
 * `manoflow sandbox` as a user runs it: a child process on a free port, whose printed URL and key
 * work for a real request; SIGTERM stops it with exit code 0. Needs `npm run build` (npm test does it).
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { bin, repoRoot, runCli } from '../helpers/cli.js';
import { api } from '../fixtures/simulator/http.js';

describe('manoflow sandbox', () => {
  it('prints the URL, key, contracts and a curl line, serves the printed key, and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, [bin, 'sandbox', '--port', '0', '--seed', '4', '--faults', 'GET /orders/v1/orders/{ref}=503'], {
      cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d) => {
          stdout += d;
          if (stdout.includes('Press Ctrl+C')) resolve();
        });
        child.on('close', () => reject(new Error(`sandbox exited early:\n${stdout}\n${stderr}`)));
      });
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
      const key = /api key:\s+(\S+)/.exec(stdout)?.[1];
      expect(url).toBeDefined();
      expect(key).toBe('sandbox-key-0001');
      expect(stdout).toContain('110841 (FR, EUR), 110842 (DE, EUR), 220001 (GB, GBP)');
      expect(stdout).toContain(`curl -s -H 'x-api-key: ${key}' '${url}/orders/v1/orders?seller_contract_id=110841`);
      const r = await api(url!, key!, { path: '/orders/v1/orders?seller_contract_id=110841&status=PENDING&limit=5' });
      expect(r.status).toBe(200);
      expect(r.json.content).toHaveLength(5);
      const ref = r.json.content[0].order_reference as string;
      expect((await api(url!, key!, { path: `/orders/v1/orders/${ref}?seller_contract_id=110841` })).status).toBe(503);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(stderr).toBe('');
  });

  it('refuses a bad --faults spec with a usage error (exit 2)', async () => {
    const r = await runCli(['sandbox', '--port', '0', '--faults', 'GET /orders/v1/orders=teapot']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('CLI_USAGE');
    expect(r.stderr).toContain('unknown action "teapot"');
  });
});
