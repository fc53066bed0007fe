// Hypertext Literal's `html`, through a local module: a page's own bare `import {html} from "htl"` is left
// unresolved by Framework 1.13 (see README "Notes"), while a component's bare import is bundled.
export {html, svg} from "htl";
