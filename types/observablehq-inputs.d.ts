// @observablehq/inputs ships no typings; live cells pass it through to the reader's code untyped.
declare module "@observablehq/inputs";
