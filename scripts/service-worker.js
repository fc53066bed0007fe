/* global clients */
/**
 * The course's service worker (issue 17, item 6): after one visit every page works offline. scripts/postbuild.mjs
 * writes it to dist/sw.js with this build's file list and a version made from the files' contents.
 *
 * - install: every file of the build except the data files (pages, scripts, wasm, fonts, CSS, images) goes into the
 *   cache `dl4i-site-<version>`; a newer build installs next to the old one and takes over at once;
 * - activate: caches of other builds are deleted, and data files the new build no longer has;
 * - fetch (same origin, GET): the build's own file from the cache, whatever the query (`?present`); a page path
 *   without `.html` (`/filter`, `/`) finds its `.html`; a data file (MNIST, Fashion-MNIST: `.bin`) is fetched once and
 *   kept in `dl4i-data`; anything else goes to the network;
 * - every same-origin response it gives (cache or network) carries `Cross-Origin-Opener-Policy: same-origin` and
 *   `Cross-Origin-Embedder-Policy: require-corp` (issue 18): a page the worker controls is cross-origin isolated on
 *   any static host, so the wasm backend can run threads (SharedArrayBuffer). The site loads nothing from other
 *   origins, so require-corp blocks nothing. The page reloads itself once when the worker first takes control
 *   (scripts/postbuild.mjs, REGISTER).
 */
const VERSION = "__VERSION__";
/** Paths relative to this file, e.g. "filter.html", "_import/lib/tf.abc123.js". */
const FILES = /* __FILES__ */ [];
/** The build's data files: cached when first fetched, not at install (tens of MB a reader may never need). */
const DATA_FILES = /* __DATA_FILES__ */ [];
const SITE_CACHE = `dl4i-site-${VERSION}`;
const DATA_CACHE = "dl4i-data";
const BASE = new URL("./", self.location.href);

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SITE_CACHE);
      await cache.addAll(FILES.map((f) => new Request(new URL(f, BASE), {cache: "reload"})));
      await self.skipWaiting();
    })()
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys())
        if (key.startsWith("dl4i-site-") && key !== SITE_CACHE) await caches.delete(key);
      const data = await caches.open(DATA_CACHE);
      const keep = new Set(DATA_FILES.map((f) => new URL(f, BASE).href));
      for (const request of await data.keys()) if (!keep.has(request.url)) await data.delete(request);
      await clients.claim();
    })()
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || !url.href.startsWith(BASE.href)) return;
  event.respondWith(respond(request, url, event));
});

/** The cached copy of a build file for this URL, if the build has one. */
async function fromSite(url) {
  const path = url.pathname;
  const candidates = [url.origin + path];
  if (path.endsWith("/")) candidates.push(url.origin + path + "index.html");
  else if (!/\.[a-z0-9]+$/i.test(path)) candidates.push(url.origin + path + ".html");
  for (const href of candidates) {
    // caches.match, not caches.open: a worker of an older build must not re-create its deleted cache
    const hit = await caches.match(href, {cacheName: SITE_CACHE, ignoreSearch: true});
    if (hit) return hit;
  }
  return undefined;
}

/** `response` with the headers that make a page cross-origin isolated (an opaque or error response as it is). */
function isolated(response) {
  if (response.type === "opaque" || response.type === "opaqueredirect" || response.status === 0) return response;
  const headers = new Headers(response.headers);
  headers.set("Cross-Origin-Opener-Policy", "same-origin");
  headers.set("Cross-Origin-Embedder-Policy", "require-corp");
  return new Response(response.body, {status: response.status, statusText: response.statusText, headers});
}

async function respond(request, url, event) {
  return isolated(await respondPlain(request, url, event));
}

async function respondPlain(request, url, event) {
  const site = await fromSite(url);
  if (site) return site;
  if (url.pathname.endsWith(".bin")) {
    const data = await caches.open(DATA_CACHE);
    const hit = await data.match(request, {ignoreSearch: true});
    if (hit) return hit;
    const response = await fetch(request);
    // kept while the page reads its own copy (the page's download progress is not held up)
    if (response.ok && response.status === 200) event.waitUntil(data.put(request, response.clone()));
    return response;
  }
  return fetch(request);
}
