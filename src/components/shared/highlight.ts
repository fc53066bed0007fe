/**
 * The live-cell editor's syntax colours: CodeMirror's default light style, with the colours that fall below WCAG AA
 * contrast (4.5:1) on the editor's background darkened (issue 17; axe checks them): `#e40` (template strings,
 * regular expressions) 3.8:1 → `#b33900`, `#085` (type names) 4.5:1 → `#06704a`, `#f00` (invalid) 4.0:1 → `#c00000`.
 */
import {HighlightStyle, syntaxHighlighting} from "@codemirror/language";
import {tags} from "@lezer/highlight";
import {TOKEN_COLORS as C} from "../../lib/live/tokens.js";

/** The rules, also read by tests/unit/live/tokens.test.ts (the placeholder highlighter is checked against them). */
export const COURSE_HIGHLIGHT_SPECS = [
  {tag: tags.meta, color: C.meta},
  {tag: tags.link, textDecoration: "underline"},
  {tag: tags.heading, textDecoration: "underline", fontWeight: "bold"},
  {tag: tags.emphasis, fontStyle: "italic"},
  {tag: tags.strong, fontWeight: "bold"},
  {tag: tags.strikethrough, textDecoration: "line-through"},
  {tag: tags.keyword, color: C.keyword},
  {tag: [tags.atom, tags.bool, tags.url, tags.contentSeparator, tags.labelName], color: C.atom},
  {tag: [tags.literal, tags.inserted], color: C.literal},
  {tag: [tags.string, tags.deleted], color: C.string},
  {tag: [tags.regexp, tags.escape, tags.special(tags.string)], color: C.special},
  {tag: tags.definition(tags.variableName), color: C.definition},
  {tag: tags.local(tags.variableName), color: "#30a"},
  {tag: [tags.typeName, tags.namespace], color: C.type},
  {tag: tags.className, color: C.className},
  {tag: [tags.special(tags.variableName), tags.macroName], color: "#256"},
  {tag: tags.definition(tags.propertyName), color: C.propertyDefinition},
  {tag: tags.comment, color: C.comment},
  {tag: tags.invalid, color: "#c00000"}
];

export const courseHighlightStyle = HighlightStyle.define(COURSE_HIGHLIGHT_SPECS);

/** The editor extension: replaces basicSetup's fallback default style. */
export const courseHighlighting = syntaxHighlighting(courseHighlightStyle);
