// Node entry: the module is compiled and instantiated synchronously when imported. The default
// export mirrors the browser entry's `init` so that the same code runs in both; here it has
// nothing left to do.
export * from './caseflow_wasm.js';
export { CaseflowError } from './caseflow_error.js';

export default async function init() {}
