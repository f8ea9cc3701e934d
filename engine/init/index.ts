/**
 * `manoflow init`: writes a ready-to-run pipeline for one ManoMano connector, with its test file
 * and sample data, refusing to overwrite anything unless forced.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { ManoflowError } from '../errors.js';
import { findDestination, findSource } from '../connectors/registry.js';
import { packageRoot } from '../util/package-root.js';
import { resolveInitConnector, type InitConnectorType } from './connectors.js';
import type { Template } from './template-parts.js';
import { offersTemplate, productsTemplate } from './templates-catalog.js';
import { decisionsTemplate, ordersTemplate, refundsTemplate, shipmentsTemplate } from './templates-orders.js';
import { invoicesTemplate } from './templates-invoices.js';

export { INIT_CONNECTORS, resolveInitConnector, type InitConnector, type InitConnectorType } from './connectors.js';

const TEMPLATES: Record<InitConnectorType, Template> = {
  'manomano-products': productsTemplate,
  'manomano-offers': offersTemplate,
  'manomano-orders': ordersTemplate,
  'manomano-order-decisions': decisionsTemplate,
  'manomano-refunds': refundsTemplate,
  'manomano-shipments': shipmentsTemplate,
  'manomano-invoices': invoicesTemplate,
};

export interface InitOptions {
  /** A connector type or alias (`products`, `price-stock`...); default manomano-products. */
  connector?: string;
  /** Pipeline name and file stem; default per connector (`product-creation`, `price-stock`...). */
  name?: string;
  /** Folder to write into; default `pipelines`. Relative to `cwd`. */
  dir?: string;
  force?: boolean;
  cwd?: string;
}

export interface InitResult {
  connector: InitConnectorType;
  /** Absolute paths of the files written, pipeline first. */
  files: string[];
  pipeline: string;
  testFile: string;
  /** False when the connector is not registered in this build (its pipeline will not validate yet). */
  registered: boolean;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const posix = (p: string) => p.split(sep).join('/');

/** Why: the CLI and the tests scaffold the same way; everything is checked before anything is written. */
export function scaffold(options: InitOptions = {}): InitResult {
  const cwd = options.cwd ?? process.cwd();
  const connector = resolveInitConnector(options.connector ?? 'manomano-products');
  const name = options.name ?? connector.defaultName;
  if (!NAME.test(name) || name.endsWith('.yaml') || name.endsWith('.test')) {
    throw new ManoflowError('CLI_USAGE', `--name "${name}" is not a valid pipeline name`, {
      hint: 'letters, digits, ".", "_" and "-", starting with a letter or digit, without .yaml (e.g. fr-price-stock)',
    });
  }
  const dir = resolve(cwd, options.dir ?? 'pipelines');
  const pipeline = join(dir, `${name}.yaml`);
  const schema = posix(relative(dir, join(packageRoot(), 'schemas', 'pipeline.schema.json')));
  const rel = posix(relative(cwd, pipeline));
  const files = TEMPLATES[connector.type]({ name, schema, file: rel.startsWith('..') ? pipeline : rel })
    .map((f) => ({ path: join(dir, f.path), content: f.content }));
  const existing = files.filter((f) => existsSync(f.path));
  if (existing.length && !options.force) {
    throw new ManoflowError('INIT_EXISTS', `not overwriting ${existing.map((f) => posix(relative(cwd, f.path))).join(', ')}`, {
      hint: 'choose another --name or --dir, or pass --force to overwrite',
    });
  }
  for (const f of files) {
    mkdirSync(dirname(f.path), { recursive: true });
    writeFileSync(f.path, f.content);
  }
  const registered = connector.kind === 'source' ? findSource(connector.type) !== undefined : findDestination(connector.type) !== undefined;
  return {
    connector: connector.type,
    files: files.map((f) => f.path),
    pipeline,
    testFile: join(dir, `${name}.test.yaml`),
    registered,
  };
}
