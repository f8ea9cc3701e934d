/**
 * Opens the ManoMano API connection every API connector shares: the client from the pipeline's
 * connection settings and, for `environment: local` without a `base_url`, the simulator.
 * MANOFLOW_SANDBOX_URL points `local` at a running `manoflow sandbox` (tests and demos use it);
 * otherwise a simulator is started in-process on a loopback port for the duration of the run.
 */
import { ManoflowError } from '../errors.js';
import { registerSecret } from '../secrets.js';
import { createClient, type ManomanoClient } from '../manomano/client/index.js';
import type { RunContext } from '../runtime/types.js';

export interface ApiConnectionConfig {
  environment: 'production' | 'sandbox' | 'local';
  base_url?: string;
  seller_contract_id: number | string;
  api_key: string;
  third_party_name?: string;
  feedback?: boolean;
  batch_size?: number;
  timeout_ms?: number;
  max_retries?: number;
  /** The in-process simulator's world (local only): its clock and seed. */
  simulator?: LocalSimulatorSettings;
}

/** `simulator:` of a local connection: `now` is an ISO date or "now"; defaults: the examples' world. */
export interface LocalSimulatorSettings { now?: string; seed?: number }

/**
 * The in-process simulator's world when the pipeline does not say: seed 1 dated 2026-10-01, the
 * world the bundled examples' CSV files were written against (their order references exist).
 */
export const LOCAL_SIMULATOR_DEFAULTS = { now: '2026-10-01T00:00:00Z', seed: 1 } as const;

export interface ApiConnection {
  client: ManomanoClient;
  contractId: number;
  baseUrl: string;
  close(): Promise<void>;
}

/** Parses the contract id (often from an env variable, so a string) into the integer ManoMano wants. */
export function contractIdOf(value: number | string): number {
  // digits only: Number() would also take "1e5", "0x1F" or "" (0)
  const n = typeof value === 'number' ? value : /^\s*\d+\s*$/.test(String(value)) ? Number(String(value).trim()) : NaN;
  if (!Number.isSafeInteger(n) || n <= 0) {
    throw new ManoflowError('CFG_CONTRACT_ID', `seller_contract_id must be a positive whole number, got "${value}"`, {
      hint: 'copy it from Toolbox › Settings › API keys (one id per market and contract type)',
    });
  }
  return n;
}

/**
 * One in-process simulator per process at a time, shared by reference count: a pipeline that
 * reads orders and acts on them (source and destination both `local`) talks to ONE simulator.
 */
let shared: Promise<{ url: string; refs: number; world: string; close: () => Promise<void> }> | undefined;

/** Why: source, destination and taxonomy of one run share ONE in-process simulator (reference counted). */
export async function acquireLocalSimulator(ctx: Pick<RunContext, 'log'>, settings: LocalSimulatorSettings = {}): Promise<{ url: string; release: () => Promise<void> }> {
  const now = settings.now ?? LOCAL_SIMULATOR_DEFAULTS.now;
  const seed = settings.seed ?? LOCAL_SIMULATOR_DEFAULTS.seed;
  const world = `seed ${seed}, ${now === 'now' ? 'dated today' : `dated ${now}`}`;
  if (now !== 'now' && Number.isNaN(Date.parse(now))) {
    throw new ManoflowError('CFG_SIMULATOR_NOW', `simulator.now "${now}" is not a date`, { hint: 'write an ISO-8601 date such as 2026-10-01T00:00:00Z, or "now" for the real time' });
  }
  shared ??= (async () => {
    const { startSimulator } = await import('../manomano/simulator/index.js');
    const sim = await startSimulator({ port: 0, seed, now: now === 'now' ? undefined : now });
    ctx.log.info(`environment local: started the ManoMano simulator at ${sim.url} for this run (${world}; set MANOFLOW_SANDBOX_URL or base_url to use a running \`manoflow sandbox\`)`);
    return { url: sim.url, refs: 0, world, close: () => sim.close() };
  })();
  const current = shared;
  const entry = await current;
  if (entry.world !== world) ctx.log.warn(`environment local: this run's simulator is already started with ${entry.world}; ignoring simulator settings (${world})`);
  entry.refs++;
  let released = false;
  return {
    url: entry.url,
    async release() {
      if (released) return;
      released = true;
      entry.refs--;
      if (entry.refs === 0 && shared === current) {
        shared = undefined;
        await entry.close();
      }
    },
  };
}

export async function openApiConnection(config: ApiConnectionConfig, ctx: RunContext, extra: { batchSize?: number } = {}): Promise<ApiConnection> {
  registerSecret(config.api_key);
  const contractId = contractIdOf(config.seller_contract_id);
  let baseUrl = config.base_url || (config.environment === 'local' ? process.env.MANOFLOW_SANDBOX_URL : undefined);
  let stopSimulator: (() => Promise<void>) | undefined;
  if (config.environment === 'local' && !baseUrl) {
    const local = await acquireLocalSimulator(ctx, config.simulator);
    baseUrl = local.url;
    stopSimulator = local.release;
  }
  const client = createClient({
    environment: config.environment,
    baseUrl,
    apiKey: config.api_key,
    thirdPartyName: config.third_party_name,
    timeoutMs: config.timeout_ms,
    retries: config.max_retries === undefined ? undefined : { max: config.max_retries },
    batchSize: extra.batchSize ?? config.batch_size,
    offerBatchSize: config.batch_size,
    budget: ctx.options.rateBudget?.({ apiKey: config.api_key, baseUrl: baseUrl ?? (config.environment === 'local' ? '' : config.environment) }),
  });
  return {
    client,
    contractId,
    baseUrl: client.baseUrl,
    async close() {
      client.close();
      await stopSimulator?.();
    },
  };
}
