/**
 * `manoflow` entry point: dispatches to one file per command, loaded lazily.
 */
import { ManoflowError } from '../errors.js';
import { redact } from '../secrets.js';
import { didYouMeanHint } from '../rules/did-you-mean.js';
import { palette } from './colour.js';
import { EXIT, formatCommandHelp, type CliCommand } from './command.js';
import { describeFailure, formatFailure } from './crash.js';
import { terminalField, terminalSafe } from '../terminal.js';

/** Why: the table `manoflow --help` lists, and what a misspelt command is compared with. */
export const commands: Record<string, { summary: string; load: () => Promise<CliCommand> }> = {
  run: { summary: 'run a pipeline end to end', load: async () => (await import('./run.js')).command },
  validate: { summary: 'check pipelines (files or folders) without running them', load: async () => (await import('./validate.js')).command },
  plan: { summary: 'show what a run would write or send, with no side effects', load: async () => (await import('./plan.js')).command },
  preview: { summary: 'show records before/after mapping, ManoMano\'s verdict and an attribute\'s lineage', load: async () => (await import('./preview.js')).command },
  schema: { summary: 'print the pipeline JSON Schema, or write the editor schemas into a project', load: async () => (await import('./schema.js')).command },
  watch: { summary: 'validate and re-run a preview on every save', load: async () => (await import('./watch.js')).command },
  serve: { summary: 'serve the committed feeds over HTTP, for ManoMano to fetch', load: async () => (await import('./serve.js')).command },
  sandbox: { summary: 'start the local ManoMano Partner API simulator', load: async () => (await import('./sandbox.js')).command },
  categories: { summary: "search ManoMano's category tree, suggest categories for a catalogue", load: async () => (await import('./categories.js')).command },
  test: { summary: 'run pipeline tests and rule-box tests (*.test.yaml)', load: async () => (await import('./test.js')).command },
  init: { summary: 'scaffold a pipeline, its test and sample data for a ManoMano connector', load: async () => (await import('./init.js')).command },
  state: { summary: 'inspect and maintain the state: stats, prune, check pending order actions, feedback', load: async () => (await import('./state.js')).command },
  schedule: { summary: 'register a project\'s schedules as repeatable jobs on Redis (BullMQ)', load: async () => (await import('./schedule.js')).command },
  worker: { summary: 'run a project\'s jobs from the queue, on any number of machines', load: async () => (await import('./worker.js')).command },
  jobs: { summary: 'list the fleet\'s recent runs per seller and pipeline', load: async () => (await import('./jobs.js')).command },
  help: { summary: 'show the help of a command: manoflow help run', load: async () => helpCommand },
};

function help(): string {
  const width = Math.max(...Object.keys(commands).map((k) => k.length));
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `manoflow: declarative ManoMano pipelines (YAML + JSONata)\n\nusage: manoflow <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nRun \`manoflow help <command>\` (or \`manoflow <command> --help\`) for a command's options.\n`;
}

/** `manoflow help CMD`: the same text as `manoflow CMD --help`. */
const helpCommand: CliCommand = {
  name: 'help',
  summary: 'Show the help of a command.',
  usage: 'manoflow help [COMMAND]',
  flags: {},
  async run(argv) {
    const [name] = argv;
    if (!name) {
      process.stdout.write(help());
      return EXIT.ok;
    }
    const entry = commands[name];
    if (!entry) return unknownCommand(name);
    process.stdout.write(formatCommandHelp(await entry.load()));
    return EXIT.ok;
  },
};

function unknownCommand(name: string): number {
  const c = palette(process.stderr);
  const hint = didYouMeanHint(name, Object.keys(commands));
  process.stderr.write(`manoflow: ${c.error('unknown command')} "${terminalField(name)}"${hint ? `\n  hint: ${hint}` : ''}\n\n${help()}`);
  return EXIT.config;
}

/** crash.ts's text, its code coloured on a terminal (applied after the text is made terminal-safe). */
function failureText(name: string, err: unknown): string {
  const text = terminalSafe(redact(formatFailure(name, err)));
  const c = palette(process.stderr);
  if (!c.enabled) return text;
  const code = describeFailure(err).code;
  return text.replace(`manoflow ${name}: ${code} `, `manoflow ${name}: ${c.error(c.code(code))} `).replace(/\n  hint: /, `\n  ${c.dim('hint:')} `);
}

export async function main(argv: string[]): Promise<number> {
  // `manoflow schema | head`: a closed pipe is the reader's choice, not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    process.stdout.write(help());
    return name ? EXIT.ok : EXIT.config;
  }
  if (name === '--version' || name === '-v') {
    const { createRequire } = await import('node:module');
    process.stdout.write(`${createRequire(import.meta.url)('../../../package.json').version}\n`);
    return EXIT.ok;
  }
  const entry = commands[name];
  if (!entry) return unknownCommand(name);
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(formatCommandHelp(command));
    return EXIT.ok;
  }
  // An error thrown outside any await (a stream's 'error' event nobody listens to) still gets a
  // code and a sentence, not Node's stack trace and exit 1.
  const onUncaught = (err: unknown) => {
    process.stderr.write(failureText(name, err));
    process.exit(EXIT.failed);
  };
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUncaught);
  try {
    return await command.run(rest);
  } catch (err) {
    process.stderr.write(failureText(name, err));
    const code = err instanceof ManoflowError ? err.code : '';
    return code.startsWith('CLI_') || code.startsWith('CFG_') ? EXIT.config : EXIT.failed;
  } finally {
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onUncaught);
  }
}
