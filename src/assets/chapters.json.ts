// Data loader: the course map for the home page — every chapter of the notes, and whether its page exists.
import {CHAPTERS} from "../../lib/chapters.js";
import {chapterPages} from "../../observablehq.config.js";

// available = listed in the sidebar: one rule for both (a chapter's page exists)
const listed = new Set(chapterPages.map((p) => p.path));
const map = CHAPTERS.map((c, i) => ({...c, number: i + 1, available: listed.has(`/${c.slug}`)}));
process.stdout.write(JSON.stringify(map, null, 2));
