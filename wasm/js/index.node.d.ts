export * from './caseflow_wasm.js';
export { CaseflowError } from './caseflow_error.js';

/** Nothing to do under Node (the module is ready on import); mirrors the browser entry's `init`. */
export default function init(): Promise<void>;
