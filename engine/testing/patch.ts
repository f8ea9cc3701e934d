/**
 * Per-case variants of a pipeline: `vars` and `pipeline_patch` are merged into the YAML document
 * (comments and layout kept), and the patched text is loaded as if it were the file. Lines of
 * diagnostics then refer to the patched text: exact above the first patched key, approximate after.
 */
import { readFileSync } from 'node:fs';
import { isMap, parseDocument, type Document } from 'yaml';
import { loadPipeline, type LoadedPipeline } from '../config/load.js';

const isPlainObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** Deep-merges `patch` into the document: mappings merge, anything else replaces, `null` deletes. */
export function applyPatch(doc: Document, patch: Record<string, unknown>, path: string[] = []): void {
  for (const [key, value] of Object.entries(patch)) {
    const at = [...path, key];
    if (value === null) {
      doc.deleteIn(at);
    } else if (isPlainObject(value) && isMap(doc.getIn(at, true))) {
      applyPatch(doc, value, at);
    } else {
      doc.setIn(at, doc.createNode(value));
    }
  }
}

/** Loads the pipeline for one case; without vars or patch it is the file, positions exact. */
export function loadCasePipeline(
  file: string,
  variant: { vars?: Record<string, unknown>; patch?: Record<string, unknown>; env: Record<string, string | undefined> },
): LoadedPipeline {
  if (!variant.vars && !variant.patch) return loadPipeline(file, { env: variant.env });
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return loadPipeline(file, { env: variant.env }); // reports CFG_FILE_NOT_FOUND
  }
  const doc = parseDocument(text);
  if (doc.errors.length > 0) return loadPipeline(file, { env: variant.env }); // reports the YAML error
  if (variant.patch) applyPatch(doc, variant.patch);
  if (variant.vars) applyPatch(doc, { vars: variant.vars });
  return loadPipeline(file, { env: variant.env, source: doc.toString() });
}
