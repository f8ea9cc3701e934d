/**
 * The rule-box library: load named JSONata rule boxes (rules/*.jsonata or beside a pipeline),
 * bind their arguments from YAML, and apply them to a value with the record and vars at hand.
 * Used by the mapping runtime, `manoflow test` and `manoflow rules`.
 */
export type { RuleBox, RuleParam } from './types.js';
export { RuleFileError, PARAM_TYPES } from './types.js';
export { ruleSearchDirs, loadRuleBox, listRuleBoxes, builtinRulesDir, findPackageRoot, clearRuleCache } from './loader.js';
export { bindRuleArgs, describeParams, isExprArg } from './args.js';
export { applyRule, ruleEvalError } from './apply.js';
export { parseRuleHeader } from './header.js';
export { didYouMean, didYouMeanHint, editDistance } from './did-you-mean.js';
export { customFunctions, decodeHtmlEntities, removeEmojis, parseNumber, ambiguousNumber, formatDecimal, type DecimalMark } from './functions.js';
export { runRuleTestFile, type RuleTestResult } from './run-tests.js';
