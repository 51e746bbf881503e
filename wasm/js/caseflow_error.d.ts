import type { Diagnostic, ErrorCode } from './caseflow_wasm.js';

/** A call the engine refused: a stable `code`, a one-line message, every problem in `errors`. */
export declare class CaseflowError extends Error {
  constructor(code: ErrorCode, message: string, errors: Diagnostic[]);
  readonly name: 'CaseflowError';
  /** The kind of failure; hosts branch on it. */
  readonly code: ErrorCode;
  /** The first problem's JSON path, e.g. `$.contact.phone` (`$` when there is none). */
  readonly path: string;
  /** Every problem found, each with its JSON path. */
  readonly errors: Diagnostic[];
}
