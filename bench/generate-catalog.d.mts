// Types for tests that import the benchmark's catalogue generator (generate-catalog.mjs).
/** The data folder the bench writes catalogues to. */
export const DATA_DIR: string;
/** The columns of a generated catalogue, in file order. */
export const COLUMNS: string[];
/** The file a row count is written to by default. */
export function catalogPath(rows: number): string;
/** Writes a deterministic catalogue of `rows` rows to `out`. */
export function generateCatalog(rows: number, out?: string): Promise<void>;
/** Parses the command line: --rows N, --out FILE, --help (throws with the usage on a bad argument). */
export function parseGenerateArgs(argv: string[]): { help: boolean; rows?: number; out?: string };
