/**
 * `manoflow watch PIPELINE`: re-validates and re-runs a preview on every save (work in progress).
 */
import { ManoflowError } from '../errors.js';
import type { CliCommand } from './command.js';

const usage = 'manoflow watch PIPELINE';

export const command: CliCommand = {
  name: 'watch',
  summary: 'Re-validate and re-run a preview of a pipeline on every save.',
  usage,
  async run() {
    throw new ManoflowError('CLI_USAGE', 'watch is not ready yet');
  },
};
