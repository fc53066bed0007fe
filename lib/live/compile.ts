/**
 * Live cells, part 1: turn a reader's TypeScript into the body of an async function, keeping every line
 * where the reader wrote it so error lines match the editor.
 *
 * 1. Types are stripped by sucrase (passed in: the browser uses a prebuilt ESM bundle, Node the package).
 * 2. acorn parses the result; edits are inserted inline, never adding a line:
 *    - every loop body starts with `__guard()`, which ends a loop that never yields (see runner.ts);
 *    - every `await x` becomes `__resume(await __suspend(x))`, so the runner knows when the reader's code
 *      is running (to attribute the tensors it creates) and can stop at any await;
 *    - a last top-level expression is returned, so a cell shows its value like a notebook cell; when that
 *      expression is itself a `display(…)` call, its value is already shown and is not returned again.
 */
import {parse, type Node} from "acorn";
import {ancestor} from "acorn-walk";
import {CellSyntaxError} from "./errors.js";

/** Strips TypeScript types, keeping line numbers: sucrase's `transform(code, SUCRASE_OPTIONS).code`. */
export type StripTypes = (source: string) => string;

/** Types only: keep modern syntax as written, and keep imports so they can be reported. */
export const SUCRASE_OPTIONS = {
  transforms: ["typescript" as const],
  disableESTransforms: true,
  keepUnusedImports: true
};

export {CellSyntaxError};

interface Edit {
  pos: number;
  text: string;
  /** Closers sort before openers at the same position; among openers the outer comes first. */
  closer: boolean;
  depth: number;
}

const LOOPS = ["ForStatement", "ForInStatement", "ForOfStatement", "WhileStatement", "DoWhileStatement"];

type AnyNode = Node & Record<string, unknown>;

/** The function body for a cell's source. Throws `CellSyntaxError` with the reader's line. */
export function compileCell(source: string, stripTypes: StripTypes): string {
  let js: string;
  try {
    js = stripTypes(source);
  } catch (error) {
    throw toCellError(error);
  }
  let program: Node;
  try {
    program = parse(js, {
      ecmaVersion: "latest",
      sourceType: "script",
      allowAwaitOutsideFunction: true,
      allowReturnOutsideFunction: true,
      locations: true
    });
  } catch (error) {
    const e = toCellError(error);
    if (/'import' and 'export' may appear only/.test(e.message)) {
      throw new CellSyntaxError(
        "live cell에서는 import/export를 쓸 수 없습니다. tf, lib, Plot, tex 등은 이미 scope에 있습니다.",
        e.line,
        e.column
      );
    }
    throw e;
  }
  const edits: Edit[] = [];
  const wrap = (start: number, end: number, open: string, close: string, depth: number) => {
    edits.push({pos: start, text: open, closer: false, depth});
    edits.push({pos: end, text: close, closer: true, depth});
  };
  ancestor(program, {
    AwaitExpression(node, _state, ancestors) {
      const n = node as unknown as AnyNode;
      const argument = n.argument as Node;
      // two levels per await, so `await await x` nests as __resume(await __suspend(__resume(await __suspend(x))))
      const depth = 2 * ancestors.length;
      wrap(n.start, n.end, "__resume(", ")", depth);
      wrap(argument.start, argument.end, "__suspend(", ")", depth + 1);
    }
  });
  ancestor(
    program,
    Object.fromEntries(LOOPS.map((type) => [type, (node: Node) => guardLoop(node as unknown as AnyNode, edits)]))
  );
  const body = (program as unknown as AnyNode).body as AnyNode[];
  const last = body[body.length - 1];
  if (last?.type === "ExpressionStatement" && !isDisplayCall(last.expression as AnyNode)) {
    // at the statement's start, not the expression's: acorn's node leaves out the parentheses of `({a, b});`
    edits.push({pos: last.start, text: "return ", closer: false, depth: 0});
  }
  edits.sort(
    (a, b) => a.pos - b.pos || Number(b.closer) - Number(a.closer) || (a.closer ? b.depth - a.depth : a.depth - b.depth)
  );
  let out = "";
  let at = 0;
  for (const e of edits) {
    out += js.slice(at, e.pos) + e.text;
    at = e.pos;
  }
  // a block of its own, so the cell's `const camera = …` may shadow a scope name (a function parameter)
  return `"use strict";{${out}${js.slice(at)}\n}`;
}

function isDisplayCall(node: AnyNode): boolean {
  const callee = node.type === "CallExpression" ? (node.callee as AnyNode) : undefined;
  return callee?.type === "Identifier" && callee.name === "display";
}

function guardLoop(loop: AnyNode, edits: Edit[]): void {
  const body = loop.body as AnyNode;
  const resume = loop.type === "ForOfStatement" && loop.await ? "__resume();" : "";
  if (body.type === "BlockStatement") {
    edits.push({pos: body.start + 1, text: `__guard();${resume}`, closer: false, depth: -1});
  } else {
    edits.push({pos: body.start, text: `{__guard();${resume}`, closer: false, depth: -1});
    edits.push({pos: body.end, text: "}", closer: true, depth: -1});
  }
}

/** sucrase ("… (2:22)", `loc`) and acorn (`loc`) errors → CellSyntaxError with a 1-based line. */
function toCellError(error: unknown): CellSyntaxError {
  if (error instanceof CellSyntaxError) return error;
  const e = error as {message?: string; loc?: {line: number; column: number}};
  const message = String(e.message ?? error).replace(/\s*\(\d+:\d+\)\s*$/, "");
  const m = String(e.message ?? "").match(/\((\d+):(\d+)\)\s*$/);
  const line = e.loc?.line ?? (m ? Number(m[1]) : 1);
  const column = e.loc?.column ?? (m ? Number(m[2]) : 0);
  return new CellSyntaxError(message, line, column);
}
