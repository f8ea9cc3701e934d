/**
 * Pieces shared by the init templates. Templates are TypeScript string constants, not data files:
 * `tsc` copies nothing but .ts output into dist/, and a string constant needs no file lookup at run
 * time (the package root is only needed for the `$schema` path, which is computed).
 */

/** What a template gets: the pipeline name (also the file stem) and the paths to the JSON Schemas. */
export interface TemplateContext {
  name: string;
  /** `$schema` path, relative to the pipeline's folder. */
  schema: string;
  /** The test-file schema's path, relative to the pipeline's folder. */
  testSchema: string;
  /** How to call manoflow where init was run: `npx manoflow`, `node bin/manoflow.js` or `manoflow`. */
  cli: string;
  /** The pipeline file as the user will type it (relative to the working directory). */
  file: string;
}

/** One file to write, relative to the init folder. */
export interface TemplateFile {
  path: string;
  content: string;
}

/** A connector's scaffold: pipeline, test file, and sample data when the source is a file. */
export type Template = (c: TemplateContext) => TemplateFile[];

/** The editor line that gives completion and inline errors, then the file's comment header. */
export function header(c: TemplateContext, lines: string[]): string {
  return [`# yaml-language-server: $schema=${c.schema}`, '#', ...lines.map((l) => (l ? `# ${l}` : '#'))].join('\n') + '\n';
}

/**
 * The connection block of every API connector: without any variable set it targets manoflow's
 * local simulator with its public test key, so `run` works with no setup and no network.
 */
export function apiConnection(indent = '  '): string {
  return [
    '# local = manoflow\'s own ManoMano simulator (no network, no account); sandbox or production with your key.',
    'environment: ${MANOMANO_ENV:-local}',
    '# Keep the real key in the environment: it never appears in logs, errors or reports.',
    'api_key: ${MANOMANO_API_KEY:-sandbox-key-0001}',
    '# Toolbox › Settings › API keys: one id per market and contract type.',
    'seller_contract_id: ${MANOMANO_CONTRACT_ID:-110841}',
  ].map((l) => indent + l).join('\n') + '\n';
}

/** The first line of a test file: its schema for editors, then what it tests and how to run it. */
export function testTitle(c: TemplateContext): string {
  return `# yaml-language-server: $schema=${c.testSchema}\n# Tests of ${c.name}.yaml: ${c.cli} test ${c.file.replace(/\.yaml$/, '.test.yaml')}\n`;
}

/** The next steps printed under a pipeline's header comment. */
export function commands(c: TemplateContext, plan: boolean): string[] {
  const { file, cli } = c;
  return [
    `Check it:   ${cli} validate ${file}`,
    `Test it:    ${cli} test ${file.replace(/\.yaml$/, '.test.yaml')}`,
    ...(plan ? [`Preview:    ${cli} plan ${file}      (what would be sent; sends nothing)`] : []),
    `Run it:     ${cli} run ${file}`,
  ];
}
