/**
 * How a watch cycle runs a pipeline so that it can never overwrite the real feed nor touch
 * production: outputs and the reject report go to a preview folder, API destinations (and
 * sources that keep a cursor) run as `plan` unless `live`, and `live` refuses
 * `environment: production` without an explicit yes.
 */
import { basename, extname, join, resolve } from 'node:path';
import type { LoadedPipeline } from '../config/load.js';
import { positionOf } from '../config/yaml-positions.js';
import { findDestination } from '../connectors/registry.js';
import type { Diagnostic } from '../errors.js';

/** `file`: a file destination written to the preview; `plan`: API calls computed, none sent; `live`: sent. */
export type WatchMode = 'file' | 'plan' | 'live';

export interface ModeOptions {
  live?: boolean;
  yesProduction?: boolean;
  /** Overrides `<state dir>/preview/<pipeline name>`. */
  previewDir?: string;
}

/** The stable code of the production guard (a diagnostic in a cycle, a thrown error at start). */
export const PRODUCTION_CODE = 'WATCH_LIVE_PRODUCTION';

/** The preview folder of a pipeline: beside its state, never its real output. */
export function previewDirOf(p: LoadedPipeline, options: ModeOptions = {}): string {
  if (options.previewDir) return resolve(options.previewDir);
  const state = (p.config.state as { dir?: string } | undefined)?.dir ?? '.manoflow';
  return join(resolve(p.dir, state), 'preview', String(p.config.name ?? basename(p.path, extname(p.path))));
}

/** The output override for a preview run: the real output's base name inside the preview folder. */
export function previewOutputOf(p: LoadedPipeline, options: ModeOptions = {}): string {
  const output = (p.config.destination as { output?: unknown } | undefined)?.output;
  const name = typeof output === 'string' && output ? basename(output) : `${String(p.config.name ?? 'pipeline')}.out`;
  return join(previewDirOf(p, options), name);
}

/** True when the destination talks to ManoMano's API (definition `api: true`). */
export function isApiDestination(p: LoadedPipeline): boolean {
  const type = (p.config.destination as { type?: unknown } | undefined)?.type;
  return typeof type === 'string' && findDestination(type)?.api === true;
}

/** The mode a valid pipeline runs in under watch. A source with `incremental` keeps a cursor: plan protects it. */
export function modeOf(p: LoadedPipeline, options: ModeOptions = {}): WatchMode {
  const api = isApiDestination(p);
  const stateful = (p.config.source as { incremental?: unknown } | undefined)?.incremental === true;
  if (!api && !stateful) return 'file';
  return options.live ? 'live' : 'plan';
}

/** The API environment of the destination (`local`, `sandbox`, `production`), if any. */
export function environmentOf(p: LoadedPipeline): string | undefined {
  const env = (p.config.destination as { environment?: unknown } | undefined)?.environment;
  return typeof env === 'string' ? env : undefined;
}

/** The production guard as a located diagnostic, or undefined when the run may go ahead. */
export function productionGuard(p: LoadedPipeline, options: ModeOptions = {}): Diagnostic | undefined {
  if (!options.live || options.yesProduction || !isApiDestination(p) || environmentOf(p) !== 'production') return undefined;
  const pointer = '/destination/environment';
  return {
    file: p.displayPath, ...positionOf(p.doc, p.lines, pointer), pointer, code: PRODUCTION_CODE, severity: 'error',
    message: 'watch --live refuses to send to environment: production',
    hint: 'use environment: sandbox or local while developing, or add --yes-production if you really mean it',
  };
}

/**
 * The pipeline as a watch cycle runs it: an explicit `report.rejects` path is dropped so the reject
 * report lands beside the preview output instead of overwriting the real one; so is `report.html`
 * (a sample run has no report worth a page).
 */
export function forPreview(p: LoadedPipeline): LoadedPipeline {
  const report = p.config.report as Record<string, unknown> | undefined;
  if (!report || (report.rejects === undefined && report.html === undefined)) return p;
  const { rejects: _dropped, html: _html, ...rest } = report;
  const config = { ...p.config } as Record<string, unknown>;
  if (Object.keys(rest).length) config.report = rest;
  else delete config.report;
  return { ...p, config: config as unknown as LoadedPipeline['config'] };
}
