/**
 * What the CLI prints when a command fails with an error that is not one of manoflow's own: still
 * a stable code and a sentence saying what to do, never a bare stack trace. The stack is printed
 * only with MANOFLOW_DEBUG=1 (for a bug report).
 */
import { ManoflowError } from '../errors.js';

export interface FailureText { code: string; message: string; hint?: string }

/** Why: a full disk, a permission, a stack overflow on a deep value or a bug each deserve their own words. */
export function describeFailure(err: unknown): FailureText {
  if (err instanceof ManoflowError) return { code: err.code, message: err.message, hint: err.hint };
  const e = err as NodeJS.ErrnoException | undefined;
  const file = e?.path ? ` (${e.path})` : '';
  switch (e?.code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return { code: 'IO_DISK_FULL', message: `no space left on the device${file}`, hint: 'free space on the disk (df -h shows it), then re-run; files are replaced only when a run completes' };
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return { code: 'IO_NOT_WRITABLE', message: `permission denied${file}`, hint: 'check that the user running manoflow may read and write there' };
    case 'EMFILE':
    case 'ENFILE':
      return { code: 'IO_TOO_MANY_FILES', message: 'too many open files', hint: 'raise the limit (ulimit -n) or run fewer pipelines at once' };
    default:
      break;
  }
  if (err instanceof RangeError && /call stack/i.test(err.message)) {
    return {
      code: 'RUN_TOO_DEEP', message: 'a value or an expression is nested too deeply to process (the stack ran out)',
      hint: 'look for a source record nested thousands of levels deep, or a rule that calls itself without end (options.max_depth stops runaway expressions)',
    };
  }
  if (err instanceof RangeError && /string length|allocation failed|array length/i.test(err.message)) {
    return { code: 'RUN_TOO_LARGE', message: `a value grew larger than memory allows (${err.message})`, hint: 'look for a value or an expression that builds a huge text or list' };
  }
  const name = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return {
    code: 'INTERNAL_ERROR', message: `manoflow stopped on an error it does not expect: ${name}`,
    hint: 'this is a bug in manoflow: please report it with the command you ran (MANOFLOW_DEBUG=1 prints the stack trace for the report)',
  };
}

/** The text printed for a failure: `manoflow <command>: CODE message`, the hint, the stack under MANOFLOW_DEBUG. */
export function formatFailure(command: string, err: unknown): string {
  const f = describeFailure(err);
  const stack = process.env.MANOFLOW_DEBUG && err instanceof Error && err.stack ? `${err.stack}\n` : '';
  return `manoflow ${command}: ${f.code} ${f.message}\n${f.hint ? `  hint: ${f.hint}\n` : ''}${stack}`;
}
