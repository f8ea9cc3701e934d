/**
 * `manoflow init`: scaffolds a pipeline for one ManoMano connector (pipeline, test file, sample
 * data), then says what to run next, with the command that works here (`npx manoflow`,
 * `node bin/manoflow.js` or `manoflow`). Exit 2 on an unknown connector or when files would be overwritten.
 */
import { relative } from 'node:path';
import { ManoflowError } from '../errors.js';
import { INIT_CONNECTORS, scaffold, type InitResult } from '../init/index.js';
import { cliCommand } from '../util/invocation.js';
import { EXIT, parseCommandArgs, type CliCommand, type Flags } from './command.js';

const usage = 'manoflow init [--connector TYPE] [--name NAME] [--dir DIR] [--force]';

const flags = {
  connector: { type: 'string', short: 'c', value: 'TYPE', description: `the ManoMano connector: ${INIT_CONNECTORS.map((c) => c.aliases[0]).join(', ')} (default products)` },
  name: { type: 'string', short: 'n', value: 'NAME', description: 'pipeline name and file stem (default per connector, e.g. product-creation)' },
  dir: { type: 'string', short: 'd', value: 'DIR', description: 'folder to write into (default pipelines)' },
  force: { type: 'boolean', short: 'f', description: 'overwrite files that exist' },
} satisfies Flags;

const rel = (p: string) => {
  const r = relative(process.cwd(), p);
  return r && !r.startsWith('..') ? r : p;
};

export const command: CliCommand = {
  name: 'init',
  summary: `Scaffold a pipeline, its test file and sample data for a ManoMano connector: ${INIT_CONNECTORS.map((c) => c.aliases[0]).join(', ')} (default products; into pipelines/).`,
  usage,
  flags,
  async run(argv) {
    const { values } = parseCommandArgs(argv, flags, usage);
    const cli = cliCommand();
    let r: InitResult;
    try {
      r = scaffold({ connector: values.connector, name: values.name, dir: values.dir, force: values.force, cli });
    } catch (err) {
      // Refusing to overwrite is a usage problem (exit 2), not a failed run.
      if (!(err instanceof ManoflowError) || err.code !== 'INIT_EXISTS') throw err;
      process.stderr.write(`manoflow init: ${err.code} ${err.message}\n  hint: ${err.hint}\n`);
      return EXIT.config;
    }
    const out = [`${r.connector}: wrote`, ...r.files.map((f) => `  ${rel(f)}`), '', 'next:'];
    out.push(`  ${cli} validate ${rel(r.pipeline)}`, `  ${cli} test ${rel(r.testFile)}`);
    if (r.connector !== 'manomano-products' && r.connector !== 'manomano-orders') out.push(`  ${cli} plan ${rel(r.pipeline)}`);
    out.push(`  ${cli} run ${rel(r.pipeline)}`);
    process.stdout.write(`${out.join('\n')}\n`);
    if (!r.registered) process.stderr.write(`warning: connector ${r.connector} is not available in this build of manoflow yet; the pipeline will not validate until it is\n`);
    return EXIT.ok;
  },
};
