// Types for tests that run the text rule boxes' differential fuzzer (rules-fuzz.mjs).
/** The rules the fuzzer has cases for. */
export const FUZZED_RULES: string[];

/** One case: a rule, its arguments, a value. */
export interface FuzzCase { rule: string; args: Record<string, unknown>; value: unknown }

/** A case where the native and the stock body disagreed. */
export interface FuzzMismatch extends FuzzCase { caseSeed: number; native: unknown; stock: unknown }

/** What a run did. */
export interface FuzzStats {
  seed: number; cases: number; answered: number; declined: number; noNative: number;
  /** strip_html texts, and how many of them the one-pass scan handled (engine.scansTags). */
  stripHtml: number; scanned: number;
  mismatchCount: number; mismatches: FuzzMismatch[];
  byRule: Record<string, { cases: number; answered: number }>;
}

/** The functions of engine/rules and engine/rules/native the fuzzer calls. */
export interface FuzzEngine {
  loadRuleBox: (...args: any[]) => any;
  builtinRulesDir: () => string;
  bindRuleArgs: (...args: any[]) => Record<string, unknown>;
  nativeRule: (...args: any[]) => ((value: unknown, record: unknown, vars: unknown) => unknown) | undefined;
  NOT_NATIVE: symbol;
  customFunctions: Record<string, unknown>;
  scansTags?: (text: string) => boolean;
}

/** The case a case seed stands for. */
export function fuzzCase(caseSeed: number, rules?: string[]): FuzzCase;

/** Runs cases from `seed` (or exactly `caseSeeds`) until `cases` or `seconds` run out. */
export function runFuzz(options: {
  seed: number; cases?: number; seconds?: number; rules?: string[]; engine: FuzzEngine; keep?: number;
  onProgress?: (stats: FuzzStats) => void; caseSeeds?: number[];
}): Promise<FuzzStats>;

/** A mismatch as lines to act on, with the command that replays it. */
export function describeMismatch(m: FuzzMismatch): string;
