/**
 * `manoflow` entry point: dispatches to one file per command, loaded lazily.
 */
import { ManoflowError } from '../errors.js';
import { redact } from '../secrets.js';
import { EXIT, type CliCommand } from './command.js';
import { formatFailure } from './crash.js';
import { terminalSafe } from '../terminal.js';

const commands: Record<string, { summary: string; load: () => Promise<CliCommand> }> = {
  run: { summary: 'run a pipeline end to end', load: async () => (await import('./run.js')).command },
  validate: { summary: 'check pipelines without running them', load: async () => (await import('./validate.js')).command },
  plan: { summary: 'show what a run would send, with no side effects', load: async () => (await import('./plan.js')).command },
  preview: { summary: 'show records before/after mapping and an attribute\'s lineage', load: async () => (await import('./preview.js')).command },
  schema: { summary: 'print the pipeline JSON Schema', load: async () => (await import('./schema.js')).command },
  watch: { summary: 'validate and re-run a preview on every save', load: async () => (await import('./watch.js')).command },
  sandbox: { summary: 'start the local ManoMano Partner API simulator', load: async () => (await import('./sandbox.js')).command },
  categories: { summary: "search ManoMano's category tree, suggest categories for a catalogue", load: async () => (await import('./categories.js')).command },
  test: { summary: 'run pipeline tests and rule-box tests (*.test.yaml)', load: async () => (await import('./test.js')).command },
  init: { summary: 'scaffold a pipeline, its test and sample data for a ManoMano connector', load: async () => (await import('./init.js')).command },
  state: { summary: 'inspect and maintain the state: stats, prune, check pending order actions, feedback', load: async () => (await import('./state.js')).command },
  schedule: { summary: 'register a project\'s schedules as repeatable jobs on Redis (BullMQ)', load: async () => (await import('./schedule.js')).command },
  worker: { summary: 'run a project\'s jobs from the queue, on any number of machines', load: async () => (await import('./worker.js')).command },
  jobs: { summary: 'list the fleet\'s recent runs per seller and pipeline', load: async () => (await import('./jobs.js')).command },
};

function help(): string {
  const width = Math.max(...Object.keys(commands).map((k) => k.length));
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `manoflow: declarative ManoMano pipelines (YAML + JSONata)\n\nusage: manoflow <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nRun \`manoflow <command> --help\` for a command's options.\n`;
}

export async function main(argv: string[]): Promise<number> {
  // `manoflow schema | head`: a closed pipe is the reader's choice, not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(help());
    return name ? EXIT.ok : EXIT.config;
  }
  if (name === '--version' || name === '-v') {
    const { createRequire } = await import('node:module');
    process.stdout.write(`${createRequire(import.meta.url)('../../../package.json').version}\n`);
    return EXIT.ok;
  }
  const entry = commands[name];
  if (!entry) {
    process.stderr.write(`manoflow: unknown command "${name}"\n\n${help()}`);
    return EXIT.config;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`usage: ${command.usage}\n\n${command.summary}\n`);
    return EXIT.ok;
  }
  // An error thrown outside any await (a stream's 'error' event nobody listens to) still gets a
  // code and a sentence, not Node's stack trace and exit 1.
  const onUncaught = (err: unknown) => {
    process.stderr.write(terminalSafe(redact(formatFailure(name, err))));
    process.exit(EXIT.failed);
  };
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUncaught);
  try {
    return await command.run(rest);
  } catch (err) {
    process.stderr.write(terminalSafe(redact(formatFailure(name, err))));
    const code = err instanceof ManoflowError ? err.code : '';
    return code.startsWith('CLI_') || code.startsWith('CFG_') ? EXIT.config : EXIT.failed;
  } finally {
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onUncaught);
  }
}
