/**
 * A plain static file server for the built site, like any classroom web server: a folder serves its
 * index.html, and nothing else is rewritten (the site links to `filter.html`, not `/filter`).
 */
import {createServer, type Server} from "node:http";
import {readFile, stat} from "node:fs/promises";
import {extname, join, normalize} from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".json": "application/json",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".svg": "image/svg+xml",
  ".wasm": "application/wasm",
  ".woff2": "font/woff2",
  ".csv": "text/csv",
  ".bin": "application/octet-stream"
};

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isFile() ?? false;
}

/**
 * Serve `root`. `isolated` adds the COOP/COEP headers that make a page cross-origin isolated, as a host
 * must for wasm threads (SharedArrayBuffer); the bench measures the site both ways.
 */
export async function serve(
  root: string,
  {isolated = false}: {isolated?: boolean} = {}
): Promise<{url: string; close: () => Promise<void>}> {
  const extra: Record<string, string> = isolated
    ? {"cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp"}
    : {};
  const server: Server = createServer(async (req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
    let file = join(root, normalize(pathname).replace(/^(\.\.[/\\])+/, ""));
    if (pathname.endsWith("/") || !(await isFile(file))) file = join(file, "index.html");
    try {
      const body = await readFile(file);
      res.writeHead(200, {"content-type": TYPES[extname(file)] ?? "application/octet-stream", ...extra});
      res.end(body);
    } catch {
      res.writeHead(404, {"content-type": "text/plain"});
      res.end("not found");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no server address");
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () => new Promise((resolve) => server.close(() => resolve()))
  };
}
