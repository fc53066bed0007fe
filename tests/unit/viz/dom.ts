/**
 * A jsdom document for chart snapshots in Node, and a serialisation to a standalone `.svg` file that diffs line
 * by line and opens in a browser. (`.svg`, not `.html`: Prettier has no SVG parser, so `prettier --check .`
 * leaves the snapshots byte for byte as the charts wrote them.)
 */
import {JSDOM, VirtualConsole} from "jsdom";

/** A fresh document. Its console is silent: jsdom has no 2-D canvas and says so for every `getContext`. */
export function makeDocument(): Document {
  return new JSDOM("<!doctype html><html><body></body></html>", {virtualConsole: new VirtualConsole()}).window.document;
}

/**
 * An element as an SVG file: an `<svg>` as itself, HTML (a Plot figure with legend and caption, a grid of canvases)
 * inside a `<foreignObject>` of `width` × `height`. One tag per line.
 */
export function serialize(el: Element, {width = 640, height = 600} = {}): string {
  const xml = new el.ownerDocument.defaultView!.XMLSerializer().serializeToString(el);
  const svg =
    el.namespaceURI === "http://www.w3.org/2000/svg"
      ? xml
      : `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
        `<foreignObject width="${width}" height="${height}">${xml}</foreignObject></svg>`;
  return svg.replace(/></g, ">\n<") + "\n";
}
