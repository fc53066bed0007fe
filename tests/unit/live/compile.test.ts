import {transform} from "sucrase";
import {describe, expect, test} from "vitest";
import {CellSyntaxError, compileCell, SUCRASE_OPTIONS} from "../../../lib/live/compile.js";

const strip = (code: string) => transform(code, SUCRASE_OPTIONS).code;
const compile = (code: string) => compileCell(code, strip);

describe("compileCell", () => {
  test("strips types and keeps every line where it was", () => {
    const source = "const a: number = 1;\ninterface P { x: number }\nconst f = <T,>(x: T): T => x;\nf(a as number)";
    const body = compile(source);
    expect(body.split("\n")).toHaveLength(5); // the four lines, then the closing brace of the block
    expect(body).not.toMatch(/interface|: number|as number/);
    expect(body.split("\n")[3]).toBe("return f(a )");
  });

  test("returns the last expression, and nothing when the cell ends with a statement", () => {
    expect(compile("1 + 2")).toBe('"use strict";{return 1 + 2\n}');
    expect(compile("const x = 1;")).toBe('"use strict";{const x = 1;\n}');
    // display(…) and the last value both show; a last display(…) call is not shown twice
    expect(compile("display(1);\n2")).toBe('"use strict";{display(1);\nreturn 2\n}');
    expect(compile("const x = 1;\ndisplay(x)")).toBe('"use strict";{const x = 1;\ndisplay(x)\n}');
  });

  test("a parenthesised last expression is returned whole", async () => {
    expect(compile("const a = 1;\n({a, b: 2});")).toBe('"use strict";{const a = 1;\nreturn ({a, b: 2});\n}');
    expect(await new Function(`return (async () => {${compile("const a = 1;\n({a, b: 2});")}})()`)()).toEqual({
      a: 1,
      b: 2
    });
  });

  test("guards every kind of loop, with or without braces", () => {
    const body = compile(
      "for (let i = 0; i < 3; i++) {}\nwhile (x) y();\ndo { z() } while (0);\nfor (const k in o) f(k);\nfor (const v of a) {}"
    );
    expect(body.match(/__guard\(\)/g)).toHaveLength(5);
    expect(body).toContain("while (x) {__guard();y();}");
    expect(body).toContain("for (let i = 0; i < 3; i++) {__guard();}");
  });

  test("wraps every await, nested ones too, and the last expression around them", () => {
    expect(compile("await f(await g())")).toBe(
      '"use strict";{return __resume(await __suspend(f(__resume(await __suspend(g())))))\n}'
    );
    expect(compile("await await x")).toBe(
      '"use strict";{return __resume(await __suspend(__resume(await __suspend(x))))\n}'
    );
    expect(compile("for await (const x of s) {}")).toContain("{__guard();__resume();}");
  });

  test("the result runs: a loop, awaits and the returned value", async () => {
    const body = compile("let s: number = 0;\nfor (let i = 1; i <= 4; i++) s += await Promise.resolve(i);\ns * 10");
    const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
    const id = <T>(v: T) => v;
    const fn = new AsyncFunction("__guard", "__suspend", "__resume", body);
    expect(await fn(() => {}, id, id)).toBe(100);
  });

  test("the cell's own names may shadow the scope's", async () => {
    const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
    const fn = new AsyncFunction(
      "camera",
      "__guard",
      "__suspend",
      "__resume",
      compile("const camera = 2;\ncamera * 21")
    );
    const id = <T>(v: T) => v;
    expect(await fn(1, () => {}, id, id)).toBe(42);
  });

  test("syntax errors carry the reader's line and column", () => {
    const error = (code: string) => {
      try {
        compile(code);
      } catch (e) {
        return e as CellSyntaxError;
      }
      throw new Error("no error");
    };
    const ts = error("const a = 1;\nconst b = (x: string => 2;");
    expect(ts).toBeInstanceOf(CellSyntaxError);
    expect([ts.line, ts.column]).toEqual([2, 22]);
    const js = error("const a = 1;\n\nlet = = 3;");
    expect(js.line).toBe(3);
    const imp = error('const x = 1;\nimport {y} from "z";');
    expect(imp.line).toBe(2);
    expect(imp.message).toMatch(/import\/export를 쓸 수 없습니다/);
  });
});
