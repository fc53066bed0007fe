/**
 * A small, dependency-free TypeScript highlighter for live cells that the reader has not yet focused
 * (src/components/shared/live-placeholder.ts). It shows a cell's source in the colours the CodeMirror editor
 * gives it (lezer's JavaScript grammar with the course's style, src/components/shared/highlight.ts), so nothing
 * changes colour or moves when the editor replaces it. It reads tokens and a little context (what came before and
 * after), not a grammar: tests/unit/live/tokens.test.ts measures how often it agrees with lezer on every live cell.
 * Pure (no DOM): the same file runs in Node tests and the pages.
 */

/** What a token is, as far as colour goes; `""` is plain text. */
export type TokenKind =
  | ""
  | "keyword"
  | "atom"
  | "literal"
  | "string"
  | "special"
  | "definition"
  | "type"
  | "className"
  | "propertyDefinition"
  | "comment"
  | "meta";

/**
 * The course's syntax colours, one per kind: CodeMirror's default light style with the contrast fixes of issue 17
 * (highlight.ts builds the editor's HighlightStyle from this same table).
 */
export const TOKEN_COLORS: Record<Exclude<TokenKind, "">, string> = {
  keyword: "#708",
  atom: "#219",
  literal: "#164",
  string: "#a11",
  special: "#b33900",
  definition: "#00f",
  type: "#06704a",
  className: "#167",
  propertyDefinition: "#00c",
  comment: "#940",
  meta: "#404740"
};

export interface Token {
  text: string;
  kind: TokenKind;
}

type Raw = {
  type: "space" | "comment" | "string" | "escape" | "template" | "interp" | "number" | "regexp" | "word" | "punct";
  text: string;
};

const KEYWORDS = new Set(
  (
    "for while do if else switch try catch finally return throw break continue default case in of await yield void " +
    "typeof delete instanceof as satisfies let var const using function class extends import export from with " +
    "debugger new type enum interface implements namespace module declare keyof unique infer is asserts"
  ).split(" ")
);
/** Keywords only in some places; elsewhere ordinary names (`type`, `of`, `from` are common variable names). */
const CONTEXTUAL = new Set(
  "of as satisfies from type enum interface implements namespace module declare keyof unique infer is asserts let using".split(
    " "
  )
);
const DECLARE = new Set(["const", "let", "var", "using"]);
/** After these a `/` starts a regular expression, not a division. */
const VALUE_END = /^(?:[\w$)\]}]|\+\+|--)$/;
const PUNCTUATION =
  /^(?:\?\?=|\.\.\.|>>>=|===|!==|\*\*=|<<=|>>=|>>>|\?\.(?!\d)|=>|==|!=|<=|>=|&&|\|\||\?\?|\+\+|--|\+=|-=|\*=|\/=|%=|&=|\|=|\^=|\*\*|<<|>>|[{}()[\];,<>+\-*/%&|^!~?:=.@#])/;

/** Split `code` into raw tokens (strings, template pieces, comments, numbers, words, punctuation). */
function scan(code: string): Raw[] {
  const out: Raw[] = [];
  /** Open braces: "template" for a `${` inside a template string, "brace" otherwise. */
  const braces: ("template" | "brace")[] = [];
  let i = 0;
  let lastSignificant = "";
  const push = (type: Raw["type"], text: string) => {
    if (!text) return;
    out.push({type, text});
    if (type !== "space" && type !== "comment")
      lastSignificant = type === "word" || type === "punct" || type === "interp" ? text : "x";
  };
  /** A template string's text from `i` up to its end or its next `${`; escapes as their own tokens. */
  const templateBody = () => {
    let start = i;
    while (i < code.length) {
      const c = code[i];
      if (c === "\\") {
        push("template", code.slice(start, i));
        push("escape", code.slice(i, i + 2));
        i += 2;
        start = i;
      } else if (c === "`") {
        i++;
        push("template", code.slice(start, i));
        return;
      } else if (c === "$" && code[i + 1] === "{") {
        push("template", code.slice(start, i));
        push("interp", "${");
        i += 2;
        braces.push("template");
        return;
      } else i++;
    }
    push("template", code.slice(start, i));
  };
  while (i < code.length) {
    const c = code[i];
    const rest = code.slice(i, i + 3);
    let m: RegExpMatchArray | null;
    if (/\s/.test(c)) {
      const start = i;
      while (i < code.length && /\s/.test(code[i])) i++;
      push("space", code.slice(start, i));
    } else if (rest.startsWith("//")) {
      const end = code.indexOf("\n", i);
      push("comment", code.slice(i, end < 0 ? code.length : end));
      i = end < 0 ? code.length : end;
    } else if (rest.startsWith("/*")) {
      const end = code.indexOf("*/", i + 2);
      const stop = end < 0 ? code.length : end + 2;
      push("comment", code.slice(i, stop));
      i = stop;
    } else if (c === '"' || c === "'") {
      let start = i;
      i++;
      while (i < code.length && code[i] !== c && code[i] !== "\n") {
        if (code[i] === "\\") {
          push("string", code.slice(start, i));
          push("escape", code.slice(i, i + 2));
          i += 2;
          start = i;
        } else i++;
      }
      if (code[i] === c) i++;
      push("string", code.slice(start, i));
    } else if (c === "`") {
      // the backtick belongs to the template's first piece
      const before = out.length;
      i++;
      templateBody();
      if (out.length > before && out[before].type === "template") out[before].text = "`" + out[before].text;
      else out.splice(before, 0, {type: "template", text: "`"});
    } else if (c === "}" && braces.length && braces[braces.length - 1] === "template") {
      braces.pop();
      push("interp", "}");
      i++;
      templateBody();
    } else if (
      c === "/" &&
      !VALUE_END.test(lastSignificant) &&
      (m = code.slice(i).match(/^\/(?:\\.|\[(?:\\.|[^\]\\\n])*\]|[^/\\\n[])+\/[a-z]*/))
    ) {
      push("regexp", m[0]);
      i += m[0].length;
    } else if (
      (m = code
        .slice(i)
        .match(
          /^(?:0[xX][\da-fA-F_]+n?|0[bB][01_]+n?|0[oO][0-7_]+n?|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d+)?n?)/
        ))
    ) {
      push("number", m[0]);
      i += m[0].length;
    } else if ((m = code.slice(i).match(/^[\p{L}\p{Nl}$_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}$_\u200c\u200d]*/u))) {
      push("word", m[0]);
      i += m[0].length;
    } else if ((m = code.slice(i).match(PUNCTUATION))) {
      if (m[0] === "{") braces.push("brace");
      else if (m[0] === "}") braces.pop();
      push("punct", m[0]);
      i += m[0].length;
    } else {
      push("punct", c);
      i++;
    }
  }
  return out;
}

/** Longer code is shown unhighlighted until the editor loads. */
export const MAX_HIGHLIGHTED = 50_000;

/** What a bracket opened: a block of statements, an object literal, a binding pattern, a parameter list… */
type FrameKind = "block" | "object" | "pattern" | "params" | "parens" | "array" | "template";

/** After these, `{` opens an object literal (or, before `=`, a pattern); after anything else, a block. */
const EXPRESSION_BEFORE =
  /^(?:[=(,:?[!&|+\-*%<>~^]|return|yield|await|typeof|in|of|\$\{|\?\?|&&|\|\||===|!==|==|!=|\.\.\.)$/;

/** The source as lines of coloured tokens (one array per line; a token never spans lines). */
export function highlightLines(code: string): Token[][] {
  // beyond this, plain text: the placeholder stays instant for any input (the editor highlights it once loaded)
  if (code.length > MAX_HIGHLIGHTED) return code.split("\n").map((line) => (line ? [{text: line, kind: ""}] : []));
  const raw = scan(code);
  const kinds: TokenKind[] = raw.map(() => "");
  const sig: number[] = []; // indexes of significant (non-space, non-comment) tokens
  raw.forEach((t, k) => {
    if (t.type !== "space" && t.type !== "comment") sig.push(k);
  });
  const at = (s: number) => (s >= 0 && s < sig.length ? raw[sig[s]].text : "");
  const typeAt = (s: number) => (s >= 0 && s < sig.length ? raw[sig[s]].type : undefined);
  /** The significant index of the bracket that closes the one at `s`. */
  // every bracket's partner, in one pass (a hostile share link with 10⁵ brackets must not cost 10¹⁰ steps)
  const partner = new Int32Array(sig.length).fill(sig.length);
  const opened: number[] = [];
  for (let j = 0; j < sig.length; j++) {
    if (typeAt(j) !== "punct") continue;
    const x = at(j);
    if (x === "(" || x === "[" || x === "{") opened.push(j);
    else if (x === ")" || x === "]" || x === "}") {
      const o = opened[opened.length - 1];
      if (o !== undefined && at(o) === {")": "(", "]": "[", "}": "{"}[x]) partner[opened.pop()!] = j;
    }
  }
  /** The significant index of the bracket that closes the one at `s`. */
  const closing = (s: number): number => partner[s];
  /** `(…): T =>` or `(…): T {`: the `:` at `colon` starts a return type. */
  const returnTypeAt = (colon: number): boolean => {
    let d = 0;
    for (let j = colon + 1; j < Math.min(sig.length, colon + 200); j++) {
      const x = at(j);
      if (x === "(" || x === "[" || x === "<") d++;
      else if (x === ")" || x === "]" || x === ">") d--;
      else if (d === 0 && (x === "=>" || x === "{")) return true;
      else if (d === 0 && /^[;,=?]$/.test(x)) return false;
      if (d < 0) return false;
    }
    return false;
  };

  const stack: FrameKind[] = ["block"];
  let declStatement = -1; // depth of the `const`/`let`/`var` statement being read, or -1
  let binding = false; // reading its names (before `=`)
  let inType = -1; // depth where a type annotation is being read, or -1
  let typeAngle = 0;

  for (let s = 0; s < sig.length; s++) {
    const k = sig[s];
    const t = raw[k];
    const text = t.text;
    const prev = at(s - 1);
    const next = at(s + 1);
    const top = stack[stack.length - 1];
    const depth = stack.length;

    if (t.type === "string") kinds[k] = "string";
    else if (t.type === "escape" || t.type === "template" || t.type === "regexp") kinds[k] = "special";
    else if (t.type === "number") kinds[k] = "literal";
    else if (t.type === "interp") {
      if (text === "${") stack.push("template");
      else if (top === "template") stack.pop();
    }
    if (t.type === "punct") {
      if (inType === depth && typeAngle === 0) {
        if (/^(?:[,;=)\]}]|=>)$/.test(text)) inType = -1;
        else if (text === "{" && /^(?:[\w$\]>)]|\?)$/.test(prev.slice(-1))) inType = -1; // a body after a return type
      }
      if (inType >= 0 && text === "<") typeAngle++;
      else if (inType >= 0 && text === ">" && typeAngle > 0) typeAngle--;
      if (text === "(" || text === "[" || text === "{") {
        const after = at(closing(s) + 1);
        let kind: FrameKind;
        const bindingHere = (declStatement === depth && binding) || top === "params" || top === "pattern";
        if (text === "(") {
          const arrow = after === "=>" || (after === ":" && returnTypeAt(closing(s) + 1));
          const fn = at(s - 2) === "function" || prev === "function" || prev === "catch";
          const method =
            typeAt(s - 1) === "word" &&
            (top === "object" || top === "block") &&
            after === "{" &&
            /^(?:[{,;}]|get|set|async|static)$/.test(at(s - 2)) &&
            !/^(?:if|for|while|switch|catch|with)$/.test(prev);
          kind = arrow || fn || method ? "params" : "parens";
        } else if (text === "[") kind = bindingHere ? "pattern" : "array";
        else if (bindingHere) kind = "pattern";
        else if (inType >= 0) kind = "object";
        else if (EXPRESSION_BEFORE.test(prev) || prev === "")
          kind = prev === "" ? "block" : after === "=" ? "pattern" : "object";
        else kind = "block";
        stack.push(kind);
        continue;
      }
      if (text === ")" || text === "]" || text === "}") {
        if (stack.length > 1) stack.pop();
        if (declStatement > stack.length) declStatement = -1;
        if (inType > stack.length) inType = -1;
        if (text === ")" && next === ":" && inType === -1 && returnTypeAt(s + 1)) {
          inType = stack.length;
          typeAngle = 0;
          s++;
        }
        continue;
      }
      if (declStatement === depth) {
        if (text === "=") binding = false;
        else if (text === ",") binding = true;
        else if (text === ";") declStatement = -1;
      }
      if (text === ":" && inType === -1) {
        const annotates = (declStatement === depth && binding) || (top === "params" && prev !== "}" && prev !== "]");
        // (in a pattern, `{a: b}` renames: `a` is a property name, `b` the binding)
        if (annotates) {
          inType = depth;
          typeAngle = 0;
        }
      }
      if (text === "@") kinds[k] = "meta";
      continue;
    }
    if (t.type !== "word") continue;

    // words
    if (inType >= 0) {
      if (/^(?:typeof|keyof|infer|is|unique|asserts|readonly|void|this|null)$/.test(text)) kinds[k] = "keyword";
      else if (text === "true" || text === "false") kinds[k] = "atom";
      else if (text !== "undefined") kinds[k] = "type";
      continue;
    }
    if (prev === "." || prev === "?.") continue;
    const keyPosition = prev === "{" || prev === "," || /^(?:get|set|async|static)$/.test(prev);
    if ((top === "object" || top === "pattern" || top === "params") && keyPosition && next === ":") {
      if (top === "object") kinds[k] = "propertyDefinition";
      continue;
    }
    if (top === "object" && keyPosition && next === "(") {
      kinds[k] = "propertyDefinition"; // a method
      continue;
    }
    if (/^(?:get|set|static|async)$/.test(text) && typeAt(s + 1) === "word" && (top === "object" || top === "block")) {
      kinds[k] = "keyword";
      continue;
    }
    if (text === "async" && (next === "function" || next === "(")) {
      kinds[k] = "keyword";
      continue;
    }
    if (KEYWORDS.has(text) && (!CONTEXTUAL.has(text) || contextualKeyword(text, s))) {
      kinds[k] = "keyword";
      if (DECLARE.has(text)) {
        declStatement = depth;
        binding = true;
      } else if ((text === "of" || text === "in") && declStatement === depth) binding = false;
      if ((text === "as" || text === "satisfies") && next !== "const") {
        inType = depth;
        typeAngle = 0;
      }
      if (text === "type" || text === "interface" || text === "enum") {
        s++;
        if (s < sig.length) kinds[sig[s]] = "type";
        if (text === "type") {
          inType = depth;
          typeAngle = 0;
        }
      }
      continue;
    }
    if (text === "true" || text === "false" || text === "super") kinds[k] = "atom";
    else if (text === "null" || text === "this") kinds[k] = "keyword";
    else if (prev === "class") kinds[k] = "className";
    else if (prev === "new" && next !== ".") kinds[k] = "className";
    else if (prev === "function" || (prev === "*" && at(s - 2) === "function")) kinds[k] = "definition";
    else if (declStatement === depth && binding) kinds[k] = "definition";
    else if ((top === "pattern" || top === "params") && prev !== "=") kinds[k] = "definition";
    else if (next === "=>") kinds[k] = "definition";
    else if (top === "object" && (prev === "{" || prev === ",") && (next === "," || next === "}"))
      kinds[k] = "propertyDefinition";
  }

  function contextualKeyword(word: string, s: number): boolean {
    const prev = at(s - 1);
    const next = at(s + 1);
    const nextType = typeAt(s + 1);
    const prevType = typeAt(s - 1);
    if (/^(?:[=,;:)\]}.(]|=>)$/.test(next) || next === "") return false;
    switch (word) {
      case "of":
        return prevType === "word" || prev === "]" || prev === "}";
      case "as":
      case "satisfies":
        return (prevType !== "punct" || /^[)\]}]$/.test(prev)) && (nextType === "word" || next === "{" || next === "[");
      case "from":
        return typeAt(s + 1) === "string";
      case "let":
      case "using":
        return nextType === "word" || next === "{" || next === "[";
      default:
        return nextType === "word" && (prev === "" || /^[;{}]$/.test(prev) || prev === "export");
    }
  }

  // tokens → lines
  const lines: Token[][] = [[]];
  raw.forEach((t, k) => {
    const kind = t.type === "comment" ? "comment" : kinds[k];
    const parts = t.text.split("\n");
    parts.forEach((part, p) => {
      if (p > 0) lines.push([]);
      if (!part) return;
      const line = lines[lines.length - 1];
      const last = line[line.length - 1];
      if (last && last.kind === kind) last.text += part;
      else line.push({text: part, kind});
    });
  });
  return lines;
}
