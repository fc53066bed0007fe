/** Live-cell errors, apart from the compiler (compile.ts imports acorn; the page loads it only when needed). */

/** A syntax error at a line (1-based) and column (0-based) of the reader's code. */
export class CellSyntaxError extends SyntaxError {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number
  ) {
    super(message);
    this.name = "SyntaxError";
  }
}
