/**
 * `manoflow schema`: prints the pipeline JSON Schema (the one editors use), so it can be saved or
 * piped into any JSON Schema tool. `--write [DIR]` writes the editor schemas into the project
 * (with the project's own rule boxes), for a `$schema` path that moves with the project.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { writeProjectSchemas } from '../connectors/editor.js';
import { ManoflowError } from '../errors.js';
import { packageRoot } from '../util/package-root.js';
import { EXIT, parseCommandArgs, type CliCommand, type Flags } from './command.js';

const usage = 'manoflow schema [--test-file] | manoflow schema --write [DIR] [--rules DIR]...';

const flags = {
  'test-file': { type: 'boolean', description: 'print the schema of test files (*.test.yaml) instead' },
  write: { type: 'boolean', description: 'write pipeline.schema.json and pipeline-test.schema.json into DIR (default schemas), with your rule boxes' },
  rules: { type: 'string', multiple: true, value: 'DIR', description: 'a folder of your rule boxes to include (default: rules/ and pipelines/rules/ here, when they exist)' },
} satisfies Flags;

const shown = (p: string) => relative(process.cwd(), p) || '.';

export const command: CliCommand = {
  name: 'schema',
  summary: 'Print the pipeline JSON Schema (for editors and validators), or write the editor schemas into the project.',
  usage,
  flags,
  notes: [
    'In a pipeline, point at the schema with its first line:',
    '  # yaml-language-server: $schema=schemas/pipeline.schema.json   (relative to the pipeline file)',
    'and map *.test.yaml to pipeline-test.schema.json in the editor settings (VS Code: "yaml.schemas").',
  ],
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, flags, usage);
    if (!values.write) {
      if (positionals.length) throw new ManoflowError('CLI_USAGE', `unexpected argument "${positionals[0]}"`, { hint: `usage: ${usage}` });
      const file = values['test-file'] ? 'pipeline-test.schema.json' : 'pipeline.schema.json';
      process.stdout.write(readFileSync(join(packageRoot(), 'schemas', file), 'utf8'));
      return EXIT.ok;
    }
    if (positionals.length > 1) throw new ManoflowError('CLI_USAGE', 'expected at most one folder', { hint: `usage: ${usage}` });
    const dir = resolve(positionals[0] ?? 'schemas');
    const ruleDirs = values.rules?.map((d) => resolve(d)) ?? ['rules', 'pipelines/rules', 'pipelines'].map((d) => resolve(d)).filter((d) => existsSync(d));
    for (const d of ruleDirs) if (!existsSync(d)) throw new ManoflowError('CLI_USAGE', `--rules ${shown(d)}: no such folder`);
    const written = writeProjectSchemas(dir, ruleDirs);
    process.stdout.write([
      `wrote ${shown(written.pipeline)}`, `wrote ${shown(written.test)}`,
      `rule boxes from: ${[...ruleDirs.map(shown), 'the built-ins'].join(', ')}`,
      `first line of a pipeline in pipelines/: # yaml-language-server: $schema=${relative(resolve('pipelines'), written.pipeline).split('\\').join('/')}`,
      '',
    ].join('\n'));
    return EXIT.ok;
  },
};
