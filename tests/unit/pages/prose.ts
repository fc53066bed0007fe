/**
 * What a page's Markdown says in prose, for the page checks (tests/unit/pages/): the text left after removing front
 * matter, code fences, `${…}` expressions (computed), HTML tags and inline code. Numbers still in it were typed.
 */

/** Remove `${…}` expressions, with nested braces and template literals inside. */
export function stripInterpolations(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "$" && text[i + 1] === "{") {
      let depth = 0;
      let j = i + 1;
      for (; j < text.length; j++) {
        if (text[j] === "{") depth++;
        else if (text[j] === "}" && --depth === 0) break;
      }
      out += " ";
      i = j;
    } else out += text[i];
  }
  return out;
}

export interface Fence {
  lang: string;
  info: string;
  body: string;
  line: number;
}

/** The fenced code blocks of a page. */
export function fences(md: string): Fence[] {
  const out: Fence[] = [];
  const re = /^```([^\n]*)\n([\s\S]*?)^```\s*$/gm;
  for (const m of md.matchAll(re)) {
    const info = m[1].trim();
    out.push({lang: info.split(/\s+/)[0], info, body: m[2], line: md.slice(0, m.index).split("\n").length});
  }
  return out;
}

/** The page's prose: what a reader reads (speaker notes included), without anything computed or code. */
export function prose(md: string): string {
  return stripInterpolations(
    md
      .replace(/^---\n[\s\S]*?\n---\n/, "")
      .replace(/^```[^\n]*\n[\s\S]*?^```\s*$/gm, " ")
      .replace(/<!--[\s\S]*?-->/g, " ")
  )
    .replace(/<(code|kbd|pre)\b[^>]*>[\s\S]*?<\/\1>/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/`[^`\n]*`/g, " ")
    .replace(/\]\([^)]*\)/g, "]");
}

/**
 * Numbers typed in prose. Digits that are part of a Latin name (ResNet-152, VGG16, conv1, F3, 1D, 2x) are names,
 * not numbers; digits followed by Korean (3장, 12배) or units are counted.
 */
export function typedNumbers(text: string): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(
    /(?<![\p{Script=Latin}\d.,_]|\p{Script=Latin}-)\d+(?:[.,]\d+)*(?![\p{Script=Latin}\d])/gu
  )) {
    found.add(m[0].replace(/[.,]$/, ""));
  }
  return [...found];
}
