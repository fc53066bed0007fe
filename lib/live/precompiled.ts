/**
 * Live cells compiled at build time, so a page whose reader never edits a cell never downloads the compiler
 * (sucrase, acorn) or the editor (CodeMirror) — issue 18, item 4.
 *
 * `scripts/vendor-editor.mjs` finds every ```ts live fence in `src/**.md`, compiles it with `compileCell` and writes
 * `src/vendor/live-compiled.json`: `{[sourceKey(code)]: body}`. The page looks a cell's code up by its key; a cell
 * whose code is not there (the reader's edit, a share link, a page changed since the build) is compiled in the
 * browser instead, after loading the compiler. A body is a pure function of the source, so a key collision is the
 * only way to get a wrong body: the key carries the length and a 53-bit hash.
 */

/** The key of a cell's source in the precompiled table. */
export function sourceKey(code: string): string {
  // cyrb53 (public domain): a fast 53-bit string hash
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < code.length; i++) {
    const ch = code.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  const hash = 4294967296 * (2097151 & h2) + (h1 >>> 0);
  return `${code.length.toString(36)}-${hash.toString(36)}`;
}

/**
 * The code of every live cell in a Markdown page, as the page shows it (the fence's content without its last
 * newline): ```ts live or ```js live fences, as observablehq.config.ts renders them.
 */
export function liveCellSources(markdown: string): string[] {
  const sources: string[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = lines[i].match(/^( {0,3})(`{3,}|~{3,})\s*(ts|js)\s+(.*)$/);
    if (!open || !open[4].split(/\s+/).includes("live")) continue;
    const [, indent, fence] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const close = lines[j].match(/^ {0,3}(`{3,}|~{3,})\s*$/);
      if (close && close[1][0] === fence[0] && close[1].length >= fence.length) break;
      // markdown-it removes up to the opening fence's indentation from each content line
      body.push(lines[j].replace(new RegExp(`^ {0,${indent.length}}`), ""));
    }
    sources.push(body.join("\n"));
    i = j;
  }
  return sources;
}

/** Build the precompiled table for some sources; a cell that does not compile is left out (it errors at run). */
export function precompile(sources: string[], compile: (code: string) => string): Record<string, string> {
  const table: Record<string, string> = {};
  for (const code of sources) {
    try {
      table[sourceKey(code)] = compile(code);
    } catch {
      // a syntax error in the page itself: the browser compiles it and shows the error with its line
    }
  }
  return table;
}
