/** The home page's map of chapters: one card per page of the notes' sections, marked available or coming. */

export interface ChapterCard {
  /** "8", or "8-2" for a chapter's second page. */
  number: string;
  slug: string;
  title: string;
  sections: string[];
  claims: string[];
  /** Claims whose experiment is not built yet. */
  pending?: string[];
  available: boolean;
}

export function courseMap(chapters: ChapterCard[]): HTMLElement {
  const grid = document.createElement("div");
  grid.className = "course-map";
  for (const c of chapters) {
    const card = document.createElement(c.available ? "a" : "div");
    card.className = `chapter-card ${c.available ? "available" : "coming"}`;
    if (c.available) (card as HTMLAnchorElement).href = `./${c.slug}.html`; // the built file: any static host serves it
    const status = c.available ? "열람 가능" : "준비 중";
    card.innerHTML = `<div class="chapter-head"><span class="chapter-number">${c.number}</span><span class="chapter-status">${status}</span></div>
<h3></h3><ul></ul><div class="chapter-claims"></div>`;
    card.querySelector("h3")!.textContent = c.title;
    const list = card.querySelector("ul")!;
    for (const s of c.sections) {
      const li = document.createElement("li");
      li.textContent = s;
      list.append(li);
    }
    const pending = c.pending ?? [];
    const built = c.claims.filter((claim) => !pending.includes(claim));
    card.querySelector(".chapter-claims")!.textContent =
      `실험: ${built.join(" · ")}` + (pending.length ? ` (준비 중: ${pending.join(" · ")})` : "");
    grid.append(card);
  }
  return grid;
}
