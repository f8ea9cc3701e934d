/**
 * A minimal Language Server Protocol client: starts the real yaml-language-server over stdio and
 * speaks JSON-RPC to it (initialize, didOpen, completion, publishDiagnostics), as an editor does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface LspDiagnostic { range: { start: { line: number; character: number } }; message: string; severity?: number }
export interface LspCompletionItem { label: string; kind?: number; documentation?: string | { value: string }; insertText?: string; textEdit?: { newText: string } }

type Message = { id?: number; method?: string; params?: any; result?: any; error?: { message: string } };

/** Why: one server per test file; every request waits on its own reply, every wait is bounded. */
export class YamlLanguageServer {
  private child: ChildProcess;
  private buffer = Buffer.alloc(0);
  private nextId = 0;
  private readonly replies = new Map<number, (m: Message) => void>();
  private readonly diagnostics = new Map<string, { version: number; items: LspDiagnostic[] }[]>();
  private readonly diagnosticWaiters: (() => void)[] = [];
  private version = 0;

  constructor(private readonly settings: Record<string, unknown>) {
    const pkg = createRequire(import.meta.url).resolve('yaml-language-server/package.json');
    this.child = spawn(process.execPath, [join(dirname(pkg), 'bin', 'yaml-language-server'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (chunk: Buffer) => this.receive(chunk));
    this.child.stderr!.resume();
  }

  async initialize(): Promise<void> {
    await this.request('initialize', {
      processId: process.pid, rootUri: null,
      capabilities: {
        workspace: { configuration: true },
        textDocument: { completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] } }, publishDiagnostics: {} },
      },
    });
    this.notify('initialized', {});
    this.notify('workspace/didChangeConfiguration', { settings: this.settings });
  }

  /** Opens a document (its text given, or read by the caller) and returns its URI. */
  open(file: string, text: string): string {
    const uri = pathToFileURL(file).href;
    this.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: ++this.version, text } });
    return uri;
  }

  async completion(uri: string, line: number, character: number): Promise<LspCompletionItem[]> {
    const r = await this.request('textDocument/completion', { textDocument: { uri }, position: { line, character } });
    return Array.isArray(r) ? r : (r?.items ?? []);
  }

  /** The diagnostics the server published for `uri`, waiting (bounded) until they arrive. */
  async diagnosticsOf(uri: string, bound = 20_000): Promise<LspDiagnostic[]> {
    const deadline = Date.now() + bound;
    while (!this.diagnostics.has(uri)) {
      if (Date.now() > deadline) throw new Error(`no diagnostics published for ${uri}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 200);
        this.diagnosticWaiters.push(() => { clearTimeout(t); resolve(); });
      });
    }
    const list = this.diagnostics.get(uri)!;
    return list[list.length - 1]!.items;
  }

  async close(): Promise<void> {
    await this.request('shutdown', null).catch(() => undefined);
    this.notify('exit', null);
    await new Promise<void>((resolve) => {
      if (this.child.exitCode !== null) return resolve();
      const t = setTimeout(() => { this.child.kill(); resolve(); }, 5_000);
      this.child.once('exit', () => { clearTimeout(t); resolve(); });
    });
  }

  private send(message: object): void {
    const text = JSON.stringify({ jsonrpc: '2.0', ...message });
    this.child.stdin!.write(`Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
  }

  private notify(method: string, params: unknown): void {
    this.send({ method, params });
  }

  private request(method: string, params: unknown, bound = 30_000): Promise<any> {
    const id = ++this.nextId;
    this.send({ id, method, params });
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`${method}: no reply`)), bound);
      this.replies.set(id, (m) => {
        clearTimeout(t);
        if (m.error) reject(new Error(`${method}: ${m.error.message}`));
        else resolve(m.result);
      });
    });
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString())?.[1]);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const message = JSON.parse(this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString()) as Message;
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      this.dispatch(message);
    }
  }

  private dispatch(m: Message): void {
    if (m.id !== undefined && !m.method) {
      this.replies.get(m.id)?.(m);
      this.replies.delete(m.id);
    } else if (m.id !== undefined && m.method) {
      // Requests from the server: its settings, and registrations we accept.
      const result = m.method === 'workspace/configuration'
        ? (m.params.items as { section?: string }[]).map((i) => (i.section ? (this.settings as Record<string, unknown>)[i.section] ?? null : this.settings))
        : null;
      this.send({ id: m.id, result });
    } else if (m.method === 'textDocument/publishDiagnostics') {
      const list = this.diagnostics.get(m.params.uri) ?? [];
      list.push({ version: m.params.version ?? 0, items: m.params.diagnostics });
      this.diagnostics.set(m.params.uri, list);
      for (const wake of this.diagnosticWaiters.splice(0)) wake();
    }
  }
}

/** The text of a completion item's documentation, markdown or plain. */
export function docOf(item: LspCompletionItem): string {
  return typeof item.documentation === 'string' ? item.documentation : item.documentation?.value ?? '';
}
