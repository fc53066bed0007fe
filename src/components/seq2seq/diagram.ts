/**
 * The Seq2Seq of chapter 5 drawn from the model's sizes and a real example's tokens (claim S1): encoder LSTM boxes
 * over the source tokens, the context vector c = h_S, decoder LSTM boxes over the output tokens, and below the
 * decoder the two ways of feeding it: teacher forcing (the target's previous token) and greedy decoding (the
 * model's own previous output). Long sequences are drawn as their first tokens, "…", and their last ones
 * (lib/viz/seq2seq.ts `diagramColumns`). Every box carries data attributes the browser test reads.
 */
import {ensureSeq2SeqStyles} from "./style.js";
import {diagramColumns} from "../../lib/viz/seq2seq.js";
import {encodeSource, referenceTarget, sourceTokens, targetTokens} from "../../lib/data/dates.js";
import {translate} from "../../lib/models/seq2seq.js";
import type {ModelSlot, Trained} from "./slot.js";

const NS = "http://www.w3.org/2000/svg";

export interface Seq2SeqDiagramOptions {
  source: string[];
  /** Target tokens (without END). */
  target: string[];
  /** The model's own greedy output tokens, when a trained model exists; else placeholders ŷ_t. */
  greedy?: string[];
  embedding: number;
  units: number;
  /** Which decoder input row is highlighted. */
  mode?: "teacher" | "greedy";
  width?: number;
  startToken?: string;
  endToken?: string;
}

const COLORS = {encoder: "#1971c2", decoder: "#e8590c", context: "#2f9e44", teacher: "#2f9e44", greedy: "#9c36b5"};

function node<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
  text?: string
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

export function seq2seqDiagram(o: Seq2SeqDiagramOptions): SVGSVGElement {
  const {mode = "teacher", width = 900, startToken = "<start>", endToken = "<end>"} = o;
  const enc = diagramColumns(o.source.length, 7, 2);
  const outputs = [...o.target, endToken];
  const dec = diagramColumns(outputs.length, 7, 2);
  const columns = enc.length + dec.length + 1.6;
  const colW = Math.max(38, Math.min(72, width / columns));
  const W = colW * columns;
  const H = 300;
  const svg = node("svg", {
    class: "s2s-diagram",
    width: W,
    height: H,
    viewBox: `0 0 ${W} ${H}`,
    role: "img",
    "data-mode": mode,
    "aria-label":
      `Seq2Seq: encoder가 입력 토큰 ${o.source.length}개를 읽어 context vector (${o.units}차원) 하나를 만들고, ` +
      `decoder가 그것에서 시작해 출력 토큰 ${o.target.length}개와 END를 하나씩 냅니다.`
  });
  // narrower screens scroll the diagram sideways inside its box (.s2s-diagram-view) instead of shrinking its text
  svg.style.minWidth = `${Math.min(W, 620)}px`;
  svg.style.maxWidth = "100%";
  svg.style.height = "auto";
  const defs = node("defs", {});
  const marker = node("marker", {
    id: "s2s-arrow",
    viewBox: "0 0 10 10",
    refX: 9,
    refY: 5,
    markerWidth: 6,
    markerHeight: 6,
    orient: "auto-start-reverse"
  });
  marker.append(node("path", {d: "M 0 0 L 10 5 L 0 10 z", fill: "#495057"}));
  defs.append(marker);
  svg.append(defs);
  const arrow = (x1: number, y1: number, x2: number, y2: number, color = "#495057", dash = "") =>
    node("line", {
      x1,
      y1,
      x2,
      y2,
      stroke: color,
      "stroke-width": 1.4,
      "marker-end": "url(#s2s-arrow)",
      ...(dash ? {"stroke-dasharray": dash} : {})
    });
  const text = (x: number, y: number, s: string, attrs: Record<string, string | number> = {}) =>
    node("text", {x, y, "text-anchor": "middle", "font-size": 12, "dominant-baseline": "middle", ...attrs}, s);
  const boxW = colW * 0.72;
  const boxY = 118;
  const boxH = 34;
  const cx = (i: number) => colW * (i + 0.5);
  const short = (t: string) => (t.length > 7 ? `${t.slice(0, 6)}…` : t);

  // titles
  svg.append(
    text(cx((enc.length - 1) / 2), 14, `encoder (embedding ${o.embedding} → LSTM ${o.units})`, {
      fill: COLORS.encoder,
      "font-weight": 600
    }),
    text(
      cx(enc.length + 0.8 + (dec.length - 1) / 2),
      14,
      `decoder (embedding ${o.embedding} → LSTM ${o.units} → softmax)`,
      {fill: COLORS.decoder, "font-weight": 600}
    )
  );

  // encoder: token below, box h_t, arrow to the next box
  enc.forEach((t, i) => {
    const x = cx(i);
    if (t === null) {
      svg.append(text(x, boxY + boxH / 2, "…", {"font-size": 18}));
      return;
    }
    const g = node("g", {class: "s2s-enc", "data-token": o.source[t], "data-index": t});
    g.append(
      node("rect", {
        x: x - boxW / 2,
        y: boxY,
        width: boxW,
        height: boxH,
        rx: 5,
        fill: "#e7f5ff",
        stroke: COLORS.encoder
      }),
      text(x, boxY + boxH / 2, `h${t + 1 === o.source.length ? "_S" : `_${t + 1}`}`, {"font-style": "italic"}),
      text(x, boxY + boxH + 62, short(o.source[t]), {"font-family": "var(--monospace, monospace)"}),
      arrow(x, boxY + boxH + 50, x, boxY + boxH + 4)
    );
    svg.append(g);
    if (i < enc.length - 1)
      svg.append(arrow(x + boxW / 2, boxY + boxH / 2, cx(i + 1) - boxW / 2 - 2, boxY + boxH / 2, COLORS.encoder));
  });

  // context vector
  const ccx = cx(enc.length + 0.3);
  const c = node("g", {class: "s2s-context", "data-units": o.units});
  c.append(
    node("rect", {
      x: ccx - boxW / 2,
      y: boxY - 6,
      width: boxW,
      height: boxH + 12,
      rx: 6,
      fill: "#ebfbee",
      stroke: COLORS.context,
      "stroke-width": 2
    }),
    text(ccx, boxY + boxH / 2 - 6, "c", {"font-weight": 700, "font-style": "italic"}),
    text(ccx, boxY + boxH / 2 + 10, `${o.units}차원`, {"font-size": 10}),
    text(ccx, boxY - 18, "context vector", {fill: COLORS.context, "font-size": 11})
  );
  svg.append(
    c,
    arrow(cx(enc.length - 1) + boxW / 2, boxY + boxH / 2, ccx - boxW / 2 - 2, boxY + boxH / 2, COLORS.context)
  );

  // decoder: input rows below (teacher forcing, greedy), box s_t, output token above
  const off = enc.length + 1.6;
  const teacherY = boxY + boxH + 52;
  const greedyY = boxY + boxH + 78;
  const active = mode === "teacher" ? teacherY : greedyY;
  svg.append(
    node("rect", {
      x: cx(off) - colW / 2,
      y: active - 11,
      width: colW * dec.length,
      height: 22,
      rx: 4,
      fill: mode === "teacher" ? "#ebfbee" : "#f8f0fc"
    }),
    text(cx(off) - colW / 2 - 4, teacherY, "teacher forcing", {
      "text-anchor": "end",
      "font-size": 10,
      fill: COLORS.teacher
    }),
    text(cx(off) - colW / 2 - 4, greedyY, "greedy", {"text-anchor": "end", "font-size": 10, fill: COLORS.greedy})
  );
  dec.forEach((t, i) => {
    const x = cx(off + i);
    if (t === null) {
      svg.append(text(x, boxY + boxH / 2, "…", {"font-size": 18}));
      return;
    }
    const teacherIn = t === 0 ? startToken : outputs[t - 1];
    const greedyIn = t === 0 ? startToken : (o.greedy?.[t - 1] ?? `ŷ${t}`);
    const g = node("g", {
      class: "s2s-dec",
      "data-step": t + 1,
      "data-teacher": teacherIn,
      "data-greedy": greedyIn,
      "data-output": outputs[t]
    });
    g.append(
      node("rect", {
        x: x - boxW / 2,
        y: boxY,
        width: boxW,
        height: boxH,
        rx: 5,
        fill: "#fff4e6",
        stroke: COLORS.decoder
      }),
      text(x, boxY + boxH / 2, `s_${t + 1}`, {"font-style": "italic"}),
      arrow(x, boxY - 4, x, boxY - 34),
      text(x, boxY - 44, short(outputs[t]), {"font-weight": 600}),
      text(x, teacherY, short(teacherIn), {fill: COLORS.teacher, "font-size": 11}),
      text(x, greedyY, short(greedyIn), {fill: COLORS.greedy, "font-size": 11}),
      arrow(
        x,
        (mode === "teacher" ? teacherY : greedyY) - 12,
        x,
        boxY + boxH + 4,
        mode === "teacher" ? COLORS.teacher : COLORS.greedy
      )
    );
    svg.append(g);
    if (i < dec.length - 1)
      svg.append(arrow(x + boxW / 2, boxY + boxH / 2, cx(off + i + 1) - boxW / 2 - 2, boxY + boxH / 2, COLORS.decoder));
    // greedy: the output feeds the next step's input
    if (mode === "greedy" && i < dec.length - 1 && dec[i + 1] !== null) {
      const nx = cx(off + i + 1);
      svg.append(
        node("path", {
          d: `M ${x + 8} ${boxY - 44} C ${x + colW * 0.6} ${boxY - 60}, ${nx} ${greedyY + 30}, ${nx} ${greedyY + 12}`,
          fill: "none",
          stroke: COLORS.greedy,
          "stroke-width": 1,
          "stroke-dasharray": "3 3",
          opacity: 0.6
        })
      );
    }
  });
  svg.append(arrow(ccx + boxW / 2, boxY + boxH / 2, cx(off) - boxW / 2 - 2, boxY + boxH / 2, COLORS.context));
  // s₀ = c under the arrow (not on it), centred on the gap between c and s_1, at the diagram's label size
  const gapMid = (ccx + boxW / 2 + cx(off) - boxW / 2) / 2;
  svg.append(
    text(gapMid, boxY + boxH + 22, "s₀ = c", {
      class: "s2s-s0-label",
      "font-size": 13,
      "font-weight": 600,
      fill: COLORS.context
    })
  );
  return svg;
}

/**
 * The diagram, redrawn when the page's translator changes: once S1 has trained one, the greedy row shows that
 * model's own outputs for this example (its real greedy decoding, not placeholders).
 */
export function seq2seqDiagramView(
  o: Omit<Seq2SeqDiagramOptions, "greedy" | "source" | "target"> & {
    text: string;
    slot: ModelSlot;
    invalidation?: Promise<unknown>;
  }
): HTMLElement {
  const root = document.createElement("div");
  root.className = "s2s-diagram-view";
  const {text, slot, invalidation, ...rest} = o;
  const source = sourceTokens(text);
  const target = targetTokens(referenceTarget(text) ?? "");
  const render = (trained: Trained | null) => {
    let greedy: string[] | undefined;
    if (trained) {
      const enc = encodeSource([text], trained.lengths.source);
      try {
        greedy = translate(trained.s2s, enc.source, {maxLength: trained.lengths.target + 4})[0].tokens;
      } finally {
        enc.source.dispose();
      }
    }
    root.dataset.trained = String(Boolean(trained));
    const caption = document.createElement("p");
    caption.className = "small muted";
    caption.textContent = trained
      ? `greedy 줄: S1 모델 (학습 ${trained.run}번째)이 이 입력에 실제로 낸 토큰입니다.`
      : "greedy 줄의 ŷ는 모델이 낼 토큰의 자리입니다: S1에서 학습하면 그 모델의 실제 출력으로 바뀝니다.";
    root.replaceChildren(seq2seqDiagram({...rest, source, target, greedy}), caption);
  };
  const unsubscribe = slot.subscribe(render);
  invalidation?.then(unsubscribe);
  return root;
}

ensureSeq2SeqStyles();
