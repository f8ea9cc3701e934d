/**
 * The shape of a native rule box: a factory taking the bound arguments once per pipeline step
 * and returning the function applied to each value (or undefined when it does not model those
 * arguments, so the step keeps the JSONata body).
 */
import type { NotNative } from './jsonata-like.js';

/** Applied to each value: the rule's answer, or NOT_NATIVE to evaluate the JSONata body instead. */
export type NativeRule = (value: unknown, record: unknown, vars: unknown) => unknown | NotNative;

/** Made once per pipeline step from the bound arguments (bindRuleArgs). */
export type NativeFactory = (args: Record<string, unknown>) => NativeRule | undefined;
