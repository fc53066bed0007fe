/**
 * Claim R1 of chapter 4: parameters from the formula g·u·(d + u + 1) beside `countParams()` of real TF.js layers
 * built for several sequence lengths T. Every layer is built in a `tf.sequential`, counted and disposed.
 */
import {tf} from "../../lib/tf.js";
import {CELL_KINDS, GATES, recurrentLayer, rnnParamCount, type CellKind} from "../../lib/models/rnn.js";

export const CELL_NAMES: Record<CellKind, string> = {simpleRNN: "SimpleRNN", lstm: "LSTM", gru: "GRU"};

export interface ParamRow {
  kind: CellKind;
  formula: number;
  /** countParams() of the real layer, by sequence length. */
  counted: {length: number; params: number}[];
}

/** Count each cell's parameters at each length with real layers (built, counted, disposed). */
export function paramRows(d: number, u: number, lengths: number[]): ParamRow[] {
  return CELL_KINDS.map((kind) => ({
    kind,
    formula: rnnParamCount(kind, d, u),
    counted: lengths.map((length) => {
      const model = tf.sequential({layers: [recurrentLayer(kind, {units: u, inputShape: [length, d]})]});
      const params = model.countParams();
      model.dispose();
      return {length, params};
    })
  }));
}

const n = (x: number) => x.toLocaleString("en-US");

export function paramTable(rows: ParamRow[], d: number, u: number): HTMLElement {
  const box = document.createElement("div");
  box.style.overflowX = "auto";
  const table = document.createElement("table");
  box.append(table);
  table.className = "rnn-param-table";
  const lengths = rows[0].counted.map((c) => c.length);
  const head = document.createElement("tr");
  for (const h of ["셀", "공식", `공식 (d = ${d}, u = ${u})`, ...lengths.map((T) => `countParams(), T = ${n(T)}`)]) {
    const th = document.createElement("th");
    th.textContent = h;
    head.append(th);
  }
  table.createTHead().append(head);
  const body = table.createTBody();
  for (const r of rows) {
    const tr = body.insertRow();
    tr.dataset.kind = r.kind;
    tr.dataset.formula = String(r.formula);
    const g = GATES[r.kind];
    const cells = [CELL_NAMES[r.kind], `${g === 1 ? "" : g}u(d + u + 1)`, n(r.formula)];
    for (const text of cells) tr.insertCell().textContent = text;
    for (const c of r.counted) {
      const td = tr.insertCell();
      td.className = c.params === r.formula ? "num ok" : "num bad";
      td.dataset.length = String(c.length);
      td.textContent = `${n(c.params)} ${c.params === r.formula ? "✓" : "✗"}`;
    }
  }
  return box;
}
