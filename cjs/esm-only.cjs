// `require('manoflow')` lands here: manoflow is an ES module whose import graph uses top-level
// await (JSONata's builtins are loaded once, asynchronously), which require() cannot load.
'use strict';
const error = new Error(
  "manoflow is ESM-only: require('manoflow') cannot load it (its modules use top-level await).\n" +
  "  From an ES module:  import { runPipeline } from 'manoflow';\n" +
  "  From CommonJS:      const { runPipeline } = await import('manoflow');   (inside an async function)",
);
error.code = 'ERR_MANOFLOW_ESM_ONLY';
throw error;
