/** The 용어집 page's table, generated from `lib/glossary.ts`: term, English, Korean reading, definition, where first explained. */
import {pageName, type NumberedPage} from "../../lib/chapters.js";
import {termAnchor, type GlossaryEntry} from "../../lib/glossary.js";
import {html} from "./html.js";

export function glossaryTable(entries: readonly GlossaryEntry[], pages: readonly NumberedPage[]): HTMLElement {
  const order = new Map(pages.map((c, i) => [c.slug, i]));
  const sorted = [...entries].sort(
    (a, b) => (order.get(a.chapter) ?? 99) - (order.get(b.chapter) ?? 99) || a.term.localeCompare(b.term, "ko")
  );
  const chapterName = (slug: string) => {
    const i = order.get(slug);
    return i === undefined ? slug : pageName(pages[i]);
  };
  return html`<div class="glossary-wrap" role="region" aria-label="용어집 표" tabindex="0">
    <table class="glossary-table">
      <thead>
        <tr>
          <th scope="col">용어</th>
          <th scope="col">English</th>
          <th scope="col">뜻</th>
          <th scope="col">처음 설명한 곳</th>
        </tr>
      </thead>
      <tbody>
        ${sorted.map(
          (e) =>
            html`<tr id=${`glossary-${e.id}`} data-term=${e.id}>
              <td><b>${e.term}</b>${e.ko && e.ko !== e.term ? html`<br /><small>${e.ko}</small>` : ""}</td>
              <td lang="en">${e.en}</td>
              <td>${e.definition}</td>
              <td><a href=${`./${e.chapter}.html#${termAnchor(e.id)}`}>${chapterName(e.chapter)}</a></td>
            </tr>`
        )}
      </tbody>
    </table>
  </div>`;
}
