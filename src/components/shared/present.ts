/**
 * Presentation mode: every chapter is also a slide deck (loaded on every page from the config's `head`).
 *
 * - `p` or the 발표 button toggles it, `?present` opens in it, Escape leaves (back to the same place).
 * - Slides come from the page itself (lib/present/slides.ts): the blocks of `main` are tagged with
 *   `data-slide` and one generated style rule hides the others. Nothing is moved, so Framework's cells and
 *   hot reload keep working; a MutationObserver re-tags when preview patches the page.
 * - A 1280×720 stage scaled to the window; a slide taller than the stage is zoomed down to a readable
 *   minimum, then scrolls (and is listed in `window.__presentation.overflowing` for the tests).
 * - Keys: → ← ↓ ↑, Space / Shift-Space, PageDown / PageUp (clickers), Home, End; swipe on touch screens;
 *   `o` overview; `s` presenter window (current and next slide, notes, timer, clock), kept in step both
 *   ways over a BroadcastChannel. `?present&print` lays out one slide per printed page.
 * - Keys typed in an editor or a form field never move the slide.
 */
import {assignSlides, clampSlide, fitScale, slideFromHash} from "../../lib/present/slides.js";
import {watchAccessibility} from "./a11y.js";

const STAGE_W = 1280;
const STAGE_H = 720;
/** Below this zoom a slide scrolls instead of shrinking further. */
const MIN_ZOOM = 0.72;

type Mode = "audience" | "presenter" | "print";

interface Presentation {
  active: boolean;
  mode: Mode;
  index: number;
  count: number;
  /** Slides (0-based) whose content does not fit the stage even at the minimum zoom. */
  overflowing: number[];
  zoom: number;
  go(index: number): void;
  enter(index?: number): void;
  exit(): void;
}

// the page template's WCAG fixes that scripts/postbuild.mjs makes in the built site, also under the dev server
if (!document.documentElement.lang) document.documentElement.lang = "ko";
const viewport = document.querySelector<HTMLMetaElement>('meta[name="viewport"]');
if (viewport) viewport.content = viewport.content.replace(/,\s*maximum-scale=1(\.0)?/, "");
watchAccessibility();

const main = document.querySelector<HTMLElement>("#observablehq-main");
const isHome = /\/(index(\.html)?)?$/.test(location.pathname) || /\/data\//.test(location.pathname);
if (main && !isHome && main.querySelector(":scope > h2")) setup(main);

function setup(main: HTMLElement) {
  const params = new URLSearchParams(location.search);
  const mode: Mode = params.has("presenter") ? "presenter" : params.has("print") ? "print" : "audience";
  const channel =
    typeof BroadcastChannel === "function" ? new BroadcastChannel(`dl4i-present:${location.pathname}`) : undefined;
  const style = document.createElement("style");
  style.id = "present-slide-style";
  document.head.append(style);

  const state: Presentation = {
    active: false,
    mode,
    index: 0,
    count: 0,
    overflowing: [],
    zoom: 1,
    go,
    enter,
    exit
  };
  (window as unknown as {__presentation: Presentation}).__presentation = state;

  // chrome of our own, outside main: the toggle button, counter, progress bar
  const toggle = document.createElement("button");
  toggle.type = "button";
  toggle.className = "present-toggle";
  toggle.title = "발표 모드 (p) · 나가기 Esc";
  toggle.textContent = "▶ 발표";
  toggle.addEventListener("click", () => (state.active ? exit() : enter()));
  document.body.append(toggle);
  const center = document.querySelector<HTMLElement>("#observablehq-center")!;
  const counter = document.createElement("div");
  counter.className = "present-counter";
  const progress = document.createElement("div");
  progress.className = "present-progress";
  const bar = document.createElement("div");
  progress.append(bar);
  center.append(counter, progress);

  /** Where the reader was: the block at the top of the window and its offset, to come back to on exit. */
  let entryAnchor: {el: HTMLElement; top: number} | undefined;
  let entryIndex = 0;
  /** Counts exits, so the delayed position fixes of an earlier exit never apply after a later one. */
  let exits = 0;

  function blocks(): HTMLElement[] {
    return Array.from(main.children) as HTMLElement[];
  }

  function retag() {
    const children = blocks();
    const slides = assignSlides(
      children.map((el) => ({
        tag: el.tagName.toLowerCase(),
        empty: el.classList.contains("notes") || (el.childElementCount === 0 && !el.textContent?.trim())
      }))
    );
    children.forEach((el, i) => (el.dataset.slide = String(slides[i])));
    state.count = slides.length ? slides[slides.length - 1] + 1 : 0;
    state.index = clampSlide(state.index, state.count);
  }

  /** The slide at the top of the reader's viewport. */
  function slideInView(): number {
    const first = blocks().find((el) => el.getBoundingClientRect().bottom > 80 && el.offsetHeight > 0);
    return first ? Number(first.dataset.slide ?? 0) : 0;
  }

  function render({resetScroll = false}: {resetScroll?: boolean} = {}) {
    // other slides stay laid out at the stage's width, out of sight, so their charts keep their size and
    // the overview and the presenter's next-slide preview can show them
    style.textContent = state.active
      ? `body.presenting #observablehq-main > :not([data-slide="${state.index}"]) {
  position: fixed !important; top: -40000px !important; left: 0 !important; width: ${STAGE_W - 128}px !important;
  visibility: hidden !important; pointer-events: none !important; }`
      : "";
    counter.textContent = `${state.index + 1} / ${state.count}`;
    bar.style.width = `${((state.index + 1) / Math.max(1, state.count)) * 100}%`;
    fitSoon(resetScroll);
  }

  /** Zoom the slide to fit the stage, then let it scroll below the readable minimum. */
  function fit({resetScroll = false}: {resetScroll?: boolean} = {}) {
    if (!state.active || mode === "print") return;
    main.style.setProperty("--slide-zoom", "1");
    main.style.overflowY = "hidden";
    const content = main.scrollHeight;
    const {scale, scroll} = fitScale(content, STAGE_H, MIN_ZOOM);
    state.zoom = scale;
    main.style.setProperty("--slide-zoom", String(scale));
    main.style.overflowY = scroll ? "auto" : "hidden";
    const i = state.overflowing.indexOf(state.index);
    if (scroll && i < 0) state.overflowing.push(state.index);
    if (!scroll && i >= 0) state.overflowing.splice(i, 1);
    if (resetScroll) main.scrollTop = 0;
  }

  /** Fit now and again as late cells and charts render. */
  function fitSoon(resetScroll: boolean) {
    fit({resetScroll});
    for (const ms of [120, 500, 1500]) setTimeout(() => state.active && fit(), ms);
  }

  function scaleStage() {
    const s = Math.min(innerWidth / STAGE_W, innerHeight / STAGE_H);
    const target = mode === "presenter" ? Math.min((innerWidth * 0.62) / STAGE_W, (innerHeight - 40) / STAGE_H) : s;
    const x = mode === "presenter" ? 16 : (innerWidth - STAGE_W * target) / 2;
    const y = mode === "presenter" ? 16 : (innerHeight - STAGE_H * target) / 2;
    center.style.setProperty("--stage-transform", `translate(${x}px, ${y}px) scale(${target})`);
  }

  function go(index: number, {broadcast = true}: {broadcast?: boolean} = {}) {
    retag();
    state.index = clampSlide(index, state.count);
    if (state.active) {
      history.replaceState(history.state, "", `${location.pathname}${location.search}#slide=${state.index + 1}`);
    }
    render({resetScroll: true});
    if (broadcast) channel?.postMessage({type: "goto", index: state.index});
    presenter?.update();
  }

  function enter(index?: number) {
    if (state.active) return;
    retag();
    const first = blocks().find((el) => el.getBoundingClientRect().bottom > 0 && el.offsetHeight > 0);
    entryAnchor = first && {el: first, top: first.getBoundingClientRect().top};
    entryIndex = index ?? slideInView();
    state.active = true;
    document.body.classList.add("presenting");
    if (mode === "presenter") document.body.classList.add("presenter");
    const search = new URLSearchParams(location.search);
    if (!search.has("present") && mode === "audience") search.set("present", "");
    history.replaceState(history.state, "", `${location.pathname}?${search.toString().replace(/=(&|$)/g, "$1")}`);
    scaleStage();
    go(entryIndex);
  }

  function exit() {
    if (!state.active) return;
    state.active = false;
    closeOverview();
    document.body.classList.remove("presenting", "presenter");
    main.style.removeProperty("--slide-zoom");
    main.style.overflowY = "";
    const search = new URLSearchParams(location.search);
    search.delete("present");
    const query = search.toString();
    history.replaceState(history.state, "", `${location.pathname}${query ? `?${query}` : ""}`);
    render();
    // back to the same place: where the reader was, or the start of the slide they moved to. Charts redraw
    // at the reading width over the next moments, so the position is restored again as they do.
    const anchor =
      state.index === entryIndex && entryAnchor?.el.isConnected
        ? entryAnchor
        : {el: blocks().find((el) => Number(el.dataset.slide) === state.index && el.offsetHeight > 0), top: 0};
    const restore = () => anchor.el && scrollBy(0, anchor.el.getBoundingClientRect().top - anchor.top);
    restore();
    const token = ++exits;
    for (const ms of [50, 200, 500, 1000]) setTimeout(() => !state.active && token === exits && restore(), ms);
  }

  // --- overview -------------------------------------------------------------------------------------
  let overview: HTMLElement | undefined;
  function openOverview() {
    overview = document.createElement("div");
    overview.className = "present-overview";
    overview.setAttribute("role", "dialog");
    overview.setAttribute("aria-label", "슬라이드 목록");
    for (let i = 0; i < state.count; i++) {
      const card = document.createElement("button");
      card.type = "button";
      card.className = `present-card${i === state.index ? " current" : ""}`;
      card.append(thumbnail(i, 0.2));
      const label = document.createElement("span");
      label.textContent = `${i + 1}. ${slideTitle(i)}`;
      card.append(label);
      card.addEventListener("click", () => {
        closeOverview();
        go(i);
      });
      overview.append(card);
    }
    document.body.append(overview);
    overview.querySelector<HTMLElement>(".current")?.focus();
  }
  function closeOverview() {
    overview?.remove();
    overview = undefined;
  }

  /** A slide's heading, or the start of its first paragraph. */
  function slideTitle(i: number): string {
    const own = blocks().filter((el) => Number(el.dataset.slide) === i && !el.classList.contains("notes"));
    const heading = own.find((el) => /^H[1-3]$/.test(el.tagName));
    const text = (heading ?? own.find((el) => el.tagName === "P" && el.textContent?.trim()))?.textContent?.trim() ?? "";
    return (text.length > 38 ? `${text.slice(0, 36)}…` : text).replace(/^\d+\.\s*/, "") || "(그림)";
  }

  /** A static picture of slide i: clones of its blocks (canvases copied), scaled into a small frame. */
  function thumbnail(i: number, scale: number): HTMLElement {
    const frame = document.createElement("div");
    frame.className = "present-thumb";
    frame.style.width = `${STAGE_W * scale}px`;
    frame.style.height = `${STAGE_H * scale}px`;
    const inner = document.createElement("div");
    inner.className = "present-thumb-inner";
    // a picture, not a second copy of the controls: nothing in it can be focused or read twice
    inner.inert = true;
    inner.setAttribute("aria-hidden", "true");
    inner.style.transform = `scale(${scale})`;
    for (const el of blocks()) {
      if (Number(el.dataset.slide) !== i || el.tagName === "HR" || el.classList.contains("notes")) continue;
      const clone = el.cloneNode(true) as HTMLElement;
      clone.removeAttribute("id");
      clone.querySelectorAll("[id]").forEach((n) => n.removeAttribute("id"));
      const sources = el.querySelectorAll("canvas");
      clone.querySelectorAll("canvas").forEach((c, k) => {
        const src = sources[k];
        if (src && src.width > 0 && src.height > 0) c.getContext("2d")?.drawImage(src, 0, 0);
      });
      inner.append(clone);
    }
    frame.append(inner);
    return frame;
  }

  // --- presenter view -------------------------------------------------------------------------------
  let presenter: {update(): void} | undefined;
  if (mode === "presenter") presenter = setupPresenter();

  function setupPresenter() {
    const panel = document.createElement("aside");
    panel.className = "presenter-panel";
    panel.innerHTML = `<div class="presenter-times"><span class="presenter-timer">00:00</span><button type="button" class="presenter-reset" title="타이머 초기화">↺</button><span class="presenter-clock"></span><span class="presenter-count"></span></div>
<div class="presenter-next-label">다음 슬라이드</div><div class="presenter-next"></div>
<div class="presenter-notes-label">발표자 노트</div><div class="presenter-notes"></div>`;
    document.body.append(panel);
    let started = Date.now();
    panel.querySelector(".presenter-reset")!.addEventListener("click", () => (started = Date.now()));
    const pad = (n: number) => String(n).padStart(2, "0");
    const tick = () => {
      const s = Math.floor((Date.now() - started) / 1000);
      panel.querySelector(".presenter-timer")!.textContent = `${pad(Math.floor(s / 60))}:${pad(s % 60)}`;
      const now = new Date();
      panel.querySelector(".presenter-clock")!.textContent = `${pad(now.getHours())}:${pad(now.getMinutes())}`;
    };
    tick();
    setInterval(tick, 1000);
    return {
      update() {
        panel.querySelector(".presenter-count")!.textContent = `${state.index + 1} / ${state.count}`;
        const next = panel.querySelector(".presenter-next")!;
        next.replaceChildren(
          state.index + 1 < state.count
            ? thumbnail(state.index + 1, 0.3)
            : document.createTextNode("마지막 슬라이드입니다.")
        );
        const notes = blocks().filter(
          (el) => Number(el.dataset.slide) === state.index && el.classList.contains("notes")
        );
        const box = panel.querySelector(".presenter-notes")!;
        box.replaceChildren(
          ...notes.map((n) => Object.assign(document.createElement("div"), {innerHTML: n.innerHTML}))
        );
        if (notes.length === 0) box.textContent = "(이 슬라이드에는 노트가 없습니다)";
      }
    };
  }

  function openPresenter() {
    const url = `${location.pathname}?presenter#slide=${state.index + 1}`;
    window.open(url, `dl4i-presenter:${location.pathname}`, "popup,width=1280,height=800");
  }

  // --- print ----------------------------------------------------------------------------------------
  function setupPrint() {
    document.body.classList.add("printing");
    retag();
    const layout = () => {
      retag();
      const pageH = STAGE_H - 2 * 36;
      for (let i = 0; i < state.count; i++) {
        const els = blocks().filter((el) => Number(el.dataset.slide) === i);
        els.forEach((el) => el.style.removeProperty("zoom"));
        const visible = els.filter((el) => el.tagName !== "HR" && !el.classList.contains("notes"));
        if (visible.length === 0) continue;
        const top = visible[0].getBoundingClientRect().top;
        const bottom = Math.max(...visible.map((el) => el.getBoundingClientRect().bottom));
        const height = bottom - top;
        if (i > 0) visible[0].classList.add("print-slide-start");
        if (height > pageH * 0.97) visible.forEach((el) => (el.style.zoom = String((pageH / height) * 0.95)));
      }
    };
    // cells and charts render late: lay out again as they do, and right before printing
    layout();
    for (const ms of [500, 1500, 3000, 6000]) setTimeout(layout, ms);
    addEventListener("beforeprint", layout);
  }

  // --- events ---------------------------------------------------------------------------------------
  const isEditing = (target: EventTarget | null) =>
    target instanceof Element && !!target.closest("input, textarea, select, [contenteditable], .cm-editor");

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || isEditing(event.target)) return;
    const key = event.key;
    // Space on a focused button or summary presses it; the overview takes only Escape and o
    if (key === " " && event.target instanceof Element && event.target.closest("button, summary, a[href]")) return;
    if (overview && key !== "Escape" && key !== "o") return;
    if (!state.active) {
      if (key === "p" && mode === "audience") {
        event.preventDefault();
        enter();
      }
      return;
    }
    const step: Record<string, number> = {
      ArrowRight: 1,
      ArrowDown: 1,
      PageDown: 1,
      ArrowLeft: -1,
      ArrowUp: -1,
      PageUp: -1
    };
    if (key in step) go(state.index + step[key]);
    else if (key === " ") go(state.index + (event.shiftKey ? -1 : 1));
    else if (key === "Home") go(0);
    else if (key === "End") go(state.count - 1);
    else if (key === "Escape") {
      if (overview) closeOverview();
      else if (mode === "audience") exit();
    } else if (key === "o") {
      if (overview) closeOverview();
      else openOverview();
    } else if (key === "s" && mode === "audience") openPresenter();
    else if (key === "p" && mode === "audience") exit();
    else return;
    event.preventDefault();
  });

  let touch: {x: number; y: number} | undefined;
  document.addEventListener(
    "touchstart",
    (e) => (touch = isEditing(e.target) ? undefined : {x: e.touches[0].clientX, y: e.touches[0].clientY}),
    {passive: true}
  );
  document.addEventListener("touchend", (e) => {
    if (!state.active || !touch) return;
    const dx = e.changedTouches[0].clientX - touch.x;
    const dy = e.changedTouches[0].clientY - touch.y;
    if (Math.abs(dx) > 60 && Math.abs(dx) > 1.5 * Math.abs(dy)) go(state.index + (dx < 0 ? 1 : -1));
    touch = undefined;
  });

  channel?.addEventListener("message", (e: MessageEvent<{type: string; index: number}>) => {
    if (e.data?.type === "goto" && state.active && e.data.index !== state.index) go(e.data.index, {broadcast: false});
    if (e.data?.type === "hello" && state.active) channel.postMessage({type: "goto", index: state.index});
  });

  addEventListener("resize", () => {
    if (state.active) {
      scaleStage();
      fit();
    }
  });
  // slides follow the page: Framework's hot reload patches main, and cells render late
  let pending = false;
  const refresh = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      retag();
      if (state.active) render();
    });
  };
  let refitTimer: ReturnType<typeof setTimeout> | undefined;
  new MutationObserver((records) => {
    if (records.some((r) => r.target === main)) refresh();
    // content that changes size (a chart drawn late, a cell's output) is fitted again, animations are not
    const grew = records.some(
      (r) => r.target !== main && !(r.target instanceof Element && r.target.closest("[data-animated]"))
    );
    if (state.active && grew) {
      clearTimeout(refitTimer);
      refitTimer = setTimeout(() => fit(), 250);
    }
  }).observe(main, {childList: true, subtree: true});

  retag();
  if (mode === "print") setupPrint();
  else if (mode === "presenter" || params.has("present")) {
    enter(slideFromHash(location.hash) ?? 0);
    if (mode === "presenter") channel?.postMessage({type: "hello"});
  } else render();
}
