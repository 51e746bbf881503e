export * from './caseflow_wasm.js';
export { default } from './caseflow_wasm.js';
export { CaseflowError } from './caseflow_error.js';
