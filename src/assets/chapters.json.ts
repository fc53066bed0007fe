// Data loader: the course map for the home page — every chapter of the notes, and whether its page exists.
import {existsSync} from "node:fs";
import {CHAPTERS} from "../../lib/chapters.js";

const map = CHAPTERS.map((c, i) => ({
  ...c,
  number: i + 1,
  available: existsSync(new URL(`../${c.slug}.md`, import.meta.url))
}));
process.stdout.write(JSON.stringify(map, null, 2));
