// Data loader: the course map for the home page — every page of the notes' chapters, and whether it exists.
import {COURSE_PAGES} from "../../lib/chapters.js";
import {chapterPages} from "../../observablehq.config.js";

// available = listed in the sidebar: one rule for both (a chapter's page exists)
const listed = new Set(chapterPages.map((p) => p.path));
const map = COURSE_PAGES.map((c) => ({...c, available: listed.has(`/${c.slug}`)}));
process.stdout.write(JSON.stringify(map, null, 2));
