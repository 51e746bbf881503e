// Browser entry: call the default export (`await init()`) once before using the API; it fetches
// caseflow_wasm_bg.wasm beside this file (or pass `{ module_or_path }`).
export * from './caseflow_wasm.js';
export { default } from './caseflow_wasm.js';
export { CaseflowError } from './caseflow_error.js';
