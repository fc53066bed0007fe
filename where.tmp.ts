import {readFileSync} from "node:fs";
import {prose, typedNumbers} from "./tests/unit/pages/prose.js";
import {findAvoidedTerms} from "./lib/glossary.js";
const text = prose(readFileSync("src/cnn.md", "utf8"));
for (const n of typedNumbers(text)) {
  const re = new RegExp(`(?<![\\p{Script=Latin}\\d.,_])${n.replace(/[.]/g, "\\.")}(?![\\p{Script=Latin}\\d])`, "gu");
  const ctx = [...text.matchAll(re)].map((m) => text.slice(Math.max(0, m.index! - 25), m.index! + 25).replace(/\s+/g, " "));
  console.log(n, "|", ctx.slice(0, 6).join(" || "));
}
console.log(findAvoidedTerms(text));
