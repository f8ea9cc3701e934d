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
}

export interface ApiConnection {
  client: ManomanoClient;
  contractId: number;
  baseUrl: string;
  close(): Promise<void>;
}

/** Parses the contract id (often from an env variable, so a string) into the integer ManoMano wants. */
export function contractIdOf(value: number | string): number {
  const n = typeof value === 'number' ? value : Number(String(value).trim());
  if (!Number.isInteger(n) || n <= 0) {
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
let shared: Promise<{ url: string; refs: number; close: () => Promise<void> }> | undefined;

async function acquireLocalSimulator(ctx: RunContext): Promise<{ url: string; release: () => Promise<void> }> {
  shared ??= (async () => {
    const { startSimulator } = await import('../manomano/simulator/index.js');
    const sim = await startSimulator({ port: 0 });
    ctx.log.info(`environment local: started the ManoMano simulator at ${sim.url} for this run (set MANOFLOW_SANDBOX_URL or base_url to use a running \`manoflow sandbox\`)`);
    return { url: sim.url, refs: 0, close: () => sim.close() };
  })();
  const current = shared;
  const entry = await current;
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
    const local = await acquireLocalSimulator(ctx);
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
