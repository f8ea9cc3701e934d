/**
 * `manoflow serve [DIR]`: serves the committed feeds of a folder over HTTP, for ManoMano to fetch
 * (Toolbox › Catalogue › automatic import). Credentials come from the environment, never from
 * flags (which other users of the machine can read in `ps`). Runs until Ctrl+C or SIGTERM.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ManoflowError } from '../errors.js';
import { redact } from '../secrets.js';
import { startFeedServer } from '../serve/index.js';
import { EXIT, intFlag, parseCommandArgs, type CliCommand, type Flags } from './command.js';

const usage = 'manoflow serve [DIR] [--port N] [--host ADDR] [--no-auth]';

const flags = {
  port: { type: 'string', value: 'N', description: 'port to listen on (default 8090; 0 = any free port)' },
  host: { type: 'string', value: 'ADDR', description: 'address to bind (default 127.0.0.1: put a TLS reverse proxy in front, see docs/serving.md)' },
  'no-auth': { type: 'boolean', description: 'serve without credentials (only behind a proxy that authenticates, or on a private network)' },
} satisfies Flags;

export const command: CliCommand = {
  name: 'serve',
  summary: 'Serve the committed feeds of DIR (default: the current folder) over HTTP for ManoMano to fetch: basic auth or a token in the path, ETag and conditional GET, gzip, HEAD, an access log.',
  usage,
  flags,
  notes: [
    'credentials, from the environment:',
    '  MANOFLOW_SERVE_USER + MANOFLOW_SERVE_PASSWORD   basic auth (https://user:password@host/feed.csv)',
    '  MANOFLOW_SERVE_TOKEN                            a secret first path segment (https://host/TOKEN/feed.csv)',
    'served: .csv, .json, .ndjson, .xml and .txt files of DIR; never temporary files, dotfiles or reject reports.',
    'behind a reverse proxy with TLS, and giving the URL to ManoMano: docs/serving.md',
  ],
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, flags, usage);
    if (positionals.length > 1) throw new ManoflowError('CLI_USAGE', 'expected at most one folder', { hint: `usage: ${usage}` });
    const dir = resolve(positionals[0] ?? '.');
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ManoflowError('CLI_USAGE', `no such folder: ${positionals[0] ?? '.'}`);
    const env = process.env;
    const user = env.MANOFLOW_SERVE_USER || undefined;
    const password = env.MANOFLOW_SERVE_PASSWORD || undefined;
    const token = env.MANOFLOW_SERVE_TOKEN || undefined;
    if ((user === undefined) !== (password === undefined)) {
      throw new ManoflowError('CLI_SERVE_AUTH', `${user === undefined ? 'MANOFLOW_SERVE_PASSWORD' : 'MANOFLOW_SERVE_USER'} is set but not ${user === undefined ? 'MANOFLOW_SERVE_USER' : 'MANOFLOW_SERVE_PASSWORD'}`, {
        hint: 'basic auth needs both variables',
      });
    }
    if (token !== undefined && !/^[A-Za-z0-9_-]{16,}$/.test(token)) {
      throw new ManoflowError('CLI_SERVE_AUTH', 'MANOFLOW_SERVE_TOKEN must be at least 16 letters, digits, "-" or "_"', {
        hint: 'e.g. export MANOFLOW_SERVE_TOKEN=$(openssl rand -hex 24)',
      });
    }
    if (user === undefined && token === undefined && !values['no-auth']) {
      throw new ManoflowError('CLI_SERVE_AUTH', 'no credentials: the feeds would be public', {
        hint: 'set MANOFLOW_SERVE_USER and MANOFLOW_SERVE_PASSWORD (basic auth) or MANOFLOW_SERVE_TOKEN (a secret path), or pass --no-auth behind a proxy that authenticates',
      });
    }
    const port = intFlag('port', values.port) ?? 8090;
    const server = await startFeedServer({
      dir, port, host: values.host ?? '127.0.0.1', user, password, token,
      log: (line) => process.stdout.write(redact(line) + '\n'),
    }).catch((err: NodeJS.ErrnoException) => {
      if (err?.code !== 'EADDRINUSE') throw err;
      throw new ManoflowError('CLI_PORT_IN_USE', `port ${port} is already in use`, { hint: 'pick another port: --port 8091, or --port 0 for any free port' });
    });
    const base = token ? `${server.url}/<MANOFLOW_SERVE_TOKEN>` : server.url;
    process.stdout.write([
      `serving the feeds of ${dir} on ${server.url}`,
      `  auth:  ${token ? 'token in the path' : ''}${token && user ? ' and ' : ''}${user ? `basic (user ${user})` : ''}${!token && !user ? 'none (--no-auth)' : ''}`,
      `  feeds: ${base}/<file>   (list: ${base}/)`,
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'));
    await new Promise<void>((done) => {
      process.once('SIGINT', done);
      process.once('SIGTERM', done);
    });
    await server.close();
    process.stdout.write('server stopped\n');
    return EXIT.ok;
  },
};
