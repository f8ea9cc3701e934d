/**
 * `manoflow state check PIPELINE`: the pending order actions of the pipeline's seller contract
 * (left by runs that were interrupted between sending and recording the answer) are read back
 * from ManoMano and recorded as done (the order moved on: it applied) or not sent (the order is
 * still where it was); those that cannot be read stay pending and are listed. Holds the
 * contract's order-action lock while it writes, like a run. Exit 0 when nothing is left unknown,
 * 1 when some entries are still pending.
 */
import { relative } from 'node:path';
import { findDestination } from '../connectors/registry.js';
import { isEphemeral, orderActionsLockName } from '../connectors/order-actions/destination.js';
import { resolvePending, summarisePending } from '../connectors/order-actions/pending.js';
import { openApiConnection, type ApiConnectionConfig } from '../connectors/manomano-api.js';
import { ManoflowError } from '../errors.js';
import { loadValidPipeline } from '../runtime/run.js';
import type { RunContext } from '../runtime/types.js';
import { redact } from '../secrets.js';
import { OrderJournal } from '../state/journal.js';
import { acquireStateLock, type HeldStateLock } from '../state/lease.js';
import { lockTimeoutFromEnv } from '../state/lock.js';
import { openStateStore } from '../state/open.js';
import { EXIT } from './command.js';
import { printJson } from './output.js';
import { stateOfPipeline } from './state.js';

const err = (m: string) => process.stderr.write(`${redact(m)}\n`);
const shortPath = (p: string) => {
  const r = relative(process.cwd(), p);
  return r && !r.startsWith('..') ? r : p;
};

/** Why: the connection that can read the orders back: an API destination's, else a manomano-orders source's. */
function connectionOf(config: { source: unknown; destination: unknown }): ApiConnectionConfig | undefined {
  const dest = config.destination as { type: string };
  if (findDestination(dest.type)?.api) return config.destination as ApiConnectionConfig;
  const src = config.source as { type: string };
  return src.type === 'manomano-orders' ? (config.source as ApiConnectionConfig) : undefined;
}

/** Why: the command's body; returns the exit code. */
export async function checkPending(file: string, o: { dryRun: boolean; json: boolean }): Promise<number> {
  const p = loadValidPipeline(file);
  const { dir, backend } = stateOfPipeline(file);
  const conf = connectionOf(p.config as { source: unknown; destination: unknown });
  if (!conf) {
    throw new ManoflowError('CLI_STATE_NO_API', `${p.displayPath} has no ManoMano API connection to read orders back with (its destination is ${(p.config.destination as { type: string }).type})`, {
      hint: 'run it on a pipeline whose destination is a ManoMano API connector (or whose source is manomano-orders) for the same seller contract',
    });
  }
  if (isEphemeral(conf)) {
    throw new ManoflowError('CLI_STATE_LOCAL_SIMULATOR', `${p.displayPath} talks to a simulator started fresh for each command (environment local without base_url): there is nothing to read back`, {
      hint: 'start `manoflow sandbox` and set MANOFLOW_SANDBOX_URL (or base_url) to its URL',
    });
  }
  const log = { info: (m: string) => err(m), warn: (m: string) => err(`warning: ${m}`), debug() {} };
  const ctx: RunContext = {
    pipelineFile: p.path, pipelineDir: p.dir, pipelineName: p.config.name, resolvePath: (x) => x,
    reject() {}, warn() {}, report() {}, log, options: {}, stateDir: dir,
  };
  const conn = await openApiConnection(conf, ctx);
  const handle = await openStateStore(dir, { log, backend });
  let lock: HeldStateLock | undefined;
  try {
    if (!o.dryRun) {
      lock = await acquireStateLock(handle.store, orderActionsLockName(conn.contractId), {
        timeoutMs: lockTimeoutFromEnv(), purpose: 'checking pending order actions',
        onWait: (c) => err(`waiting for another manoflow run (pid ${c.holder.pid} on ${c.holder.host}) that holds the order-action lock of contract ${conn.contractId}`),
      });
    }
    const journal = new OrderJournal(handle.store, `state-check@${new Date().toISOString()}`);
    const outcomes = await resolvePending(conn.client, journal, [conn.contractId], { write: !o.dryRun, fence: () => lock?.lease });
    const s = summarisePending(outcomes);
    const otherPending = (await handle.store.stats()).actions.pending - (o.dryRun ? outcomes.length : s.unknown);
    if (o.json) {
      printJson({ contract: conn.contractId, dry_run: o.dryRun, ...s, other_contracts_pending: Math.max(0, otherPending), entries: outcomes.map((x) => ({ key: x.entry.key, action: x.entry.action, order_reference: x.entry.order_reference, found: x.found, status: x.status ?? null, why: x.why })) });
    } else {
      for (const x of outcomes) process.stdout.write(redact(`${x.found.padEnd(9)} ${x.entry.action.padEnd(7)} ${x.entry.order_reference}  ${x.why}`) + '\n');
      const verb = o.dryRun ? 'found (nothing recorded: --dry-run)' : 'recorded';
      process.stdout.write(`${outcomes.length} pending order action(s) of contract ${conn.contractId} in ${shortPath(handle.store.location)}: ${s.done} done, ${s.not_sent} not sent, ${s.unknown} still unknown; ${verb}\n`);
      if (otherPending > 0) process.stdout.write(`${otherPending} pending entr${otherPending === 1 ? 'y' : 'ies'} of other seller contracts: check them with a pipeline of that contract\n`);
    }
    return s.unknown > 0 ? EXIT.rejected : EXIT.ok;
  } finally {
    await lock?.release();
    await handle.release();
    await conn.close();
  }
}
