/** The feed's duplicate indexes use the engine's compact exact string set (engine/util). */
export { CompactStringSet } from '../../../util/compact-string-set.js';
