/**
 * The live-cell editor's syntax colours: CodeMirror's default light style, with the colours that fall below WCAG AA
 * contrast (4.5:1) on the editor's background darkened (issue 17; axe checks them): `#e40` (template strings,
 * regular expressions) 3.8:1 → `#b33900`, `#085` (type names) 4.5:1 → `#06704a`, `#f00` (invalid) 4.0:1 → `#c00000`.
 */
import {HighlightStyle, syntaxHighlighting} from "@codemirror/language";
import {tags} from "@lezer/highlight";

export const courseHighlightStyle = HighlightStyle.define([
  {tag: tags.meta, color: "#404740"},
  {tag: tags.link, textDecoration: "underline"},
  {tag: tags.heading, textDecoration: "underline", fontWeight: "bold"},
  {tag: tags.emphasis, fontStyle: "italic"},
  {tag: tags.strong, fontWeight: "bold"},
  {tag: tags.strikethrough, textDecoration: "line-through"},
  {tag: tags.keyword, color: "#708"},
  {tag: [tags.atom, tags.bool, tags.url, tags.contentSeparator, tags.labelName], color: "#219"},
  {tag: [tags.literal, tags.inserted], color: "#164"},
  {tag: [tags.string, tags.deleted], color: "#a11"},
  {tag: [tags.regexp, tags.escape, tags.special(tags.string)], color: "#b33900"},
  {tag: tags.definition(tags.variableName), color: "#00f"},
  {tag: tags.local(tags.variableName), color: "#30a"},
  {tag: [tags.typeName, tags.namespace], color: "#06704a"},
  {tag: tags.className, color: "#167"},
  {tag: [tags.special(tags.variableName), tags.macroName], color: "#256"},
  {tag: tags.definition(tags.propertyName), color: "#00c"},
  {tag: tags.comment, color: "#940"},
  {tag: tags.invalid, color: "#c00000"}
]);

/** The editor extension: replaces basicSetup's fallback default style. */
export const courseHighlighting = syntaxHighlighting(courseHighlightStyle);
