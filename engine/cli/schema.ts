/**
 * `manoflow schema`: prints the pipeline JSON Schema (the one editors use), so it can be saved
 * or piped into any JSON Schema tool.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../util/package-root.js';
import { EXIT, type CliCommand } from './command.js';

export const command: CliCommand = {
  name: 'schema',
  summary: 'Print the pipeline JSON Schema (for editors and validators).',
  usage: 'manoflow schema',
  async run() {
    process.stdout.write(readFileSync(join(packageRoot(), 'schemas/pipeline.schema.json'), 'utf8'));
    return EXIT.ok;
  },
};
