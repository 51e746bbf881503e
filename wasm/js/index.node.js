// Node entry: the module is compiled and instantiated synchronously when imported.
export * from './caseflow_wasm.js';
export { CaseflowError } from './caseflow_error.js';
