/**
 * `manoflow sandbox`: runs the local ManoMano Partner API simulator until Ctrl+C, and prints what
 * a user needs to point a pipeline (environment `local`) or curl at it.
 */
import { ManoflowError } from '../errors.js';
import { LENIENT_NAMES, parseFaultSpec, startSimulator, type FaultRule, type StrictOptions } from '../manomano/simulator/index.js';
import { EXIT, intFlag, parseCommandArgs, type CliCommand, type Flags } from './command.js';

const usage = 'manoflow sandbox [--port N] [--host ADDR] [--seed N] [--now DATE] [--orders N] [--fixture FILE.json] [--faults SPEC] [--rate-limit C/R] [--require-thirdparty-name] [--lenient LIST] [--patch-errors 200|207]';

const flags = {
  port: { type: 'string', value: 'N', description: 'port to listen on (default 8089; 0 = any free port)' },
  host: { type: 'string', value: 'ADDR', description: 'address to bind (default 127.0.0.1)' },
  seed: { type: 'string', value: 'N', description: 'seed of the generated orders, offers and category tree (default 1): same seed, same data' },
  now: { type: 'string', value: 'DATE', description: "pin the simulator's clock (ISO-8601, e.g. 2026-10-01T00:00:00Z); default: the real time, generated orders are dated within the last 60 days" },
  orders: { type: 'string', value: 'N', description: 'generated orders per contract (default 150)' },
  fixture: { type: 'string', value: 'FILE', description: 'JSON { keys, contracts, orders, offers }; parts left out are generated' },
  faults: { type: 'string', value: 'SPEC', description: 'comma-separated fault rules ENDPOINT=ACTION[:RATE][xTIMES] (below)' },
  'rate-limit': { type: 'string', value: 'C/R', description: 'token bucket per API key: C requests at once, R per second refill (e.g. 10/2)' },
  'require-thirdparty-name': { type: 'boolean', description: 'answer 400 when x-thirdparty-name is missing or empty' },
  lenient: { type: 'string', value: 'LIST', description: 'turn strict checks off, comma-separated: query (repeated parameters, status[]=), dates (non-ISO dates), contract-ids ("110841" or 110841.0 in bodies), tracking-url' },
  'patch-errors': { type: 'string', value: '200|207', description: 'status of a PATCH offers answer that lists per-SKU errors (default 200)' },
} satisfies Flags;

const notes = [
  'faults: ENDPOINT=ACTION[:RATE][xTIMES], comma-separated',
  '  ENDPOINT  "POST /orders/v1/accept-orders", "GET /orders/v1/orders/{ref}", "GET *" or "*"',
  '  ACTION    500 | 502 | 503 | latency:MS | drop | drop-after-apply | malformed | rate-limit:SECONDS',
  '  RATE      share of matching requests hit, 0..1 (deterministic from --seed; default 1)',
  '  xTIMES    only the first TIMES matching requests',
  '  e.g. "POST /orders/v1/accept-orders=503:0.5,GET /orders/v1/orders=latency:200x3"',
];

/** Parses --lenient and --patch-errors into the simulator's strictness settings. */
function strictFlags(lenient: string | undefined, patchErrors: string | undefined): StrictOptions {
  const out: StrictOptions = {};
  for (const name of (lenient ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const key = (LENIENT_NAMES as Record<string, keyof StrictOptions>)[name];
    if (!key) throw new ManoflowError('CLI_USAGE', `--lenient: unknown check "${name}"`, { hint: `one or more of ${Object.keys(LENIENT_NAMES).join(', ')}, comma-separated` });
    (out as Record<string, boolean>)[key] = false;
  }
  if (patchErrors !== undefined) {
    if (patchErrors !== '200' && patchErrors !== '207') throw new ManoflowError('CLI_USAGE', `--patch-errors expects 200 or 207, got "${patchErrors}"`);
    out.offerPatchErrorStatus = Number(patchErrors) as 200 | 207;
  }
  return out;
}

/** Parses --now: an ISO-8601 date (checked here, so a typo is a usage error, not a crash). */
function nowFlag(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (Number.isNaN(Date.parse(value))) throw new ManoflowError('CLI_USAGE', `--now expects an ISO-8601 date, got "${value}"`, { hint: 'e.g. --now 2026-10-01T00:00:00Z' });
  return value;
}

/** Parses "CAPACITY/PERSECOND" (e.g. "10/2" or "60/1"). */
function rateLimitFlag(value: string | undefined): { capacity: number; refillPerSecond: number } | false {
  if (value === undefined) return false;
  const m = /^\s*(\d+)\s*\/\s*(\d+(?:\.\d+)?)\s*$/.exec(value);
  if (!m || Number(m[1]) < 1) {
    throw new ManoflowError('CLI_USAGE', `--rate-limit expects CAPACITY/PERSECOND like 10/2, got "${value}"`);
  }
  return { capacity: Number(m[1]), refillPerSecond: Number(m[2]) };
}

function faultsFlag(value: string | undefined): FaultRule[] {
  if (value === undefined) return [];
  try {
    return parseFaultSpec(value);
  } catch (err) {
    const e = err as ManoflowError;
    throw new ManoflowError('CLI_USAGE', e.message, { hint: e.hint, cause: err });
  }
}

/** The `sandbox` command. */
export const command: CliCommand = {
  name: 'sandbox',
  summary: 'start the local ManoMano Partner API simulator',
  usage,
  flags,
  notes,
  async run(argv) {
    const { values } = parseCommandArgs(argv, flags, usage);
    const port = intFlag('port', values.port) ?? 8089;
    const sim = await startSimulator({
      port,
      host: values.host ?? '127.0.0.1',
      seed: intFlag('seed', values.seed) ?? 1,
      ordersPerContract: intFlag('orders', values.orders),
      fixture: values.fixture,
      faults: faultsFlag(values.faults),
      rateLimit: rateLimitFlag(values['rate-limit']),
      requireThirdPartyName: values['require-thirdparty-name'] ?? false,
      now: nowFlag(values.now),
      strict: strictFlags(values.lenient, values['patch-errors']),
    }).catch((err: NodeJS.ErrnoException) => {
      if (err?.code !== 'EADDRINUSE') throw err;
      throw new ManoflowError('CLI_PORT_IN_USE', `port ${port} is already in use (another sandbox?)`, {
        hint: 'stop the other process, or pick another port: --port 8090, or --port 0 for any free port',
      });
    });
    const first = sim.contracts.find((c) => sim.keys[sim.apiKey]?.includes(c.id)) ?? sim.contracts[0];
    const lines = [
      `ManoMano Partner API simulator listening on ${sim.url}`,
      `  api key:    ${sim.apiKey}`,
      ...Object.entries(sim.keys).slice(1).map(([k]) => `  other key:  ${k}`),
      `  contracts:  ${sim.contracts.map((c) => `${c.id} (${c.market}, ${c.currency})`).join(', ')}`,
      `  clock:      ${values.now ? `pinned at ${values.now}` : 'real time'}; orders dated within the 60 days before it`,
      `  categories: ${sim.taxonomy.categories.length} (${sim.taxonomy.categories.filter((c) => c.finalNode).length} final), ${sim.taxonomy.fields.length} feed fields`,
      `  try:        curl -s -H 'x-api-key: ${sim.apiKey}' '${sim.url}/orders/v1/orders?seller_contract_id=${first?.id ?? ''}&status=PENDING&limit=5'`,
      `  requests:   ${sim.url}/__simulator/requests   (reset: POST ${sim.url}/__simulator/reset)`,
      'Press Ctrl+C to stop.',
      '',
    ];
    process.stdout.write(lines.join('\n'));
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await sim.close();
    process.stdout.write('simulator stopped\n');
    return EXIT.ok;
  },
};
