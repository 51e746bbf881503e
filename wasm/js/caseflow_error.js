// The error every engine refusal is thrown as. wasm-bindgen imports this file by its path
// (`raw_module = "./caseflow_error.js"` in src/lib.rs), so the build copies it beside the glue,
// and the package entry re-exports it for `instanceof` checks.

/** A call the engine refused: a stable `code`, a one-line message, every problem in `errors`. */
export class CaseflowError extends Error {
  /**
   * @param {string} code the `ErrorCode`, e.g. `invalid_report`
   * @param {string} message one line for a person
   * @param {Array<{code: string, path: string, message: string, severity?: string}>} errors
   */
  constructor(code, message, errors) {
    super(message);
    this.name = 'CaseflowError';
    this.code = code;
    this.errors = errors;
    // The first problem's JSON path, e.g. `$.contact.phone`: where a form puts its message.
    this.path = errors.length > 0 ? errors[0].path : '$';
  }
}
