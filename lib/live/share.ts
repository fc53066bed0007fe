/**
 * Share links of live cells: `#share=<cellId>.<base64url(UTF-8 code)>`. The page shows a shared cell's code as text
 * in its editor and never runs it by itself (src/components/shared/live-cells.ts); nothing from the URL is parsed as
 * HTML. Pure (btoa/atob and TextEncoder exist in browsers and Node).
 */

/** The hash (without `#`) that shares `code` as the cell `cellId`. */
export function encodeShare(cellId: string, code: string): string {
  const bytes = new TextEncoder().encode(code);
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  const base64 = btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  return `share=${cellId}.${base64}`;
}

/** The shared cell and code of a location hash, or undefined when there is none or it cannot be read. */
export function decodeShare(hash: string): {cellId: string; code: string} | undefined {
  const m = hash.replace(/^#/, "").match(/(?:^|&)share=([\w-]+)\.([\w-]*)(?:&|$)/);
  if (!m) return undefined;
  try {
    const binary = atob(m[2].replace(/-/g, "+").replace(/_/g, "/"));
    const code = new TextDecoder("utf-8", {fatal: true}).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
    return {cellId: m[1], code};
  } catch {
    return undefined;
  }
}
