/**
 * `manoflow init`: writes a ready-to-run pipeline for one ManoMano connector, with its test file
 * and sample data, refusing to overwrite anything unless forced.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ManoflowError } from '../errors.js';
import { findDestination, findSource } from '../connectors/registry.js';
import { writeProjectSchemas } from '../connectors/editor.js';
import { cliCommand } from '../util/invocation.js';
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
  /** How to call manoflow in the next steps written into the files (default: as it was called). */
  cli?: string;
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

/**
 * Where the pipeline's `$schema` points. Inside the project (a dependency in node_modules, or the
 * clone itself) the package's own schemas, by a relative path that moves with the project; else
 * (a global install, the npx cache) a copy written into the project, as `manoflow schema --write`.
 */
function schemaPlace(cwd: string, dir: string): { pipeline: string; test: string; copy: boolean } {
  const root = packageRoot();
  const fromCwd = relative(cwd, root);
  if (!fromCwd.startsWith('..') && !isAbsolute(fromCwd)) {
    return { pipeline: join(root, 'schemas', 'pipeline.schema.json'), test: join(root, 'schemas', 'pipeline-test.schema.json'), copy: false };
  }
  return { pipeline: join(dir, 'schemas', 'pipeline.schema.json'), test: join(dir, 'schemas', 'pipeline-test.schema.json'), copy: true };
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
  const schemas = schemaPlace(cwd, dir);
  const rel = posix(relative(cwd, pipeline));
  const files = TEMPLATES[connector.type]({
    name, file: rel.startsWith('..') ? pipeline : rel, cli: options.cli ?? cliCommand({ cwd }),
    schema: posix(relative(dir, schemas.pipeline)), testSchema: posix(relative(dir, schemas.test)),
  }).map((f) => ({ path: join(dir, f.path), content: f.content }));
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
  // Generated, so refreshed without asking: the project's own copy of the editor schemas.
  const copied = schemas.copy ? Object.values(writeProjectSchemas(dirname(schemas.pipeline), [join(cwd, 'rules'), join(dir, 'rules'), dir])) : [];
  const registered = connector.kind === 'source' ? findSource(connector.type) !== undefined : findDestination(connector.type) !== undefined;
  return {
    connector: connector.type,
    files: [...files.map((f) => f.path), ...copied],
    pipeline,
    testFile: join(dir, `${name}.test.yaml`),
    registered,
  };
}
