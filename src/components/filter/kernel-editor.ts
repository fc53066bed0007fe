/**
 * A 3×3 kernel the reader can edit: nine number fields and a preset menu. It behaves like an Observable
 * input (`view(kernelEditor(…))`): `.value` is the kernel and an "input" event fires on each valid change.
 * A field that is not a number turns red with a message; the last valid kernel stays in effect.
 */
import {withParticle} from "../../lib/korean.js";
import type {Kernel2D} from "../../lib/ops/kernels.js";

export interface KernelEditorOptions {
  presets: Record<string, Kernel2D>;
  /** The preset selected at first. Default: the first. */
  value?: string;
  label?: string;
}

export function kernelEditor({presets, value, label = "kernel"}: KernelEditorOptions): HTMLElement & {value: Kernel2D} {
  const names = Object.keys(presets);
  const root = document.createElement("form") as unknown as HTMLElement & {value: Kernel2D};
  root.className = "kernel-editor";
  root.setAttribute("aria-label", label);
  root.addEventListener("submit", (e) => e.preventDefault());
  const select = document.createElement("select");
  select.setAttribute("aria-label", `${label} preset`);
  for (const name of [...names, "custom"]) {
    const option = document.createElement("option");
    option.value = option.textContent = name;
    select.append(option);
  }
  const grid = document.createElement("div");
  grid.className = "kernel-grid";
  const fields: HTMLInputElement[] = [];
  for (let i = 0; i < 9; i++) {
    const input = document.createElement("input");
    input.type = "text";
    input.inputMode = "decimal";
    input.setAttribute("aria-label", `${label} row ${Math.floor(i / 3) + 1} column ${(i % 3) + 1}`);
    fields.push(input);
    grid.append(input);
  }
  const message = document.createElement("div");
  message.className = "kernel-message";
  message.setAttribute("role", "status");
  const head = document.createElement("div");
  head.append(`${label}: `, select);
  root.append(head, grid, message);

  const load = (k: Kernel2D) => {
    k.flat().forEach((v, i) => (fields[i].value = String(v)));
    fields.forEach((f) => f.classList.remove("invalid"));
    message.textContent = "";
    root.value = k.map((r) => r.slice());
  };
  load(presets[value ?? names[0]]);
  select.value = value ?? names[0];

  select.addEventListener("change", () => {
    if (select.value === "custom") return;
    load(presets[select.value]);
    root.dispatchEvent(new Event("input", {bubbles: true}));
  });
  grid.addEventListener("input", (event) => {
    event.stopPropagation();
    const parsed = fields.map((f) => (f.value.trim() === "" ? NaN : Number(f.value)));
    const bad = parsed.map((v) => !Number.isFinite(v));
    fields.forEach((f, i) => f.classList.toggle("invalid", bad[i]));
    if (bad.some(Boolean)) {
      const first = bad.indexOf(true);
      message.textContent = `⚠ ${Math.floor(first / 3) + 1}행 ${(first % 3) + 1}열: ${withParticle(`"${fields[first].value}"`, "은/는")} 숫자가 아닙니다. 마지막으로 올바른 커널을 계속 씁니다.`;
      return;
    }
    message.textContent = "";
    root.value = [parsed.slice(0, 3), parsed.slice(3, 6), parsed.slice(6, 9)];
    const match = names.find((n) => presets[n].flat().every((v, i) => v === parsed[i]));
    select.value = match ?? "custom";
    root.dispatchEvent(new Event("input", {bubbles: true}));
  });
  return root;
}
