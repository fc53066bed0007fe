/**
 * Which TF.js backend a page runs on, and a menu to switch it. The choice is kept in localStorage and
 * applied on the next load, so no tensor ever crosses backends mid-page.
 */
import {setupBackend, type BackendInfo} from "../lib/tf.js";

const KEY = "dl4i:backend";

/** Start the reader's chosen backend, or TF.js's default. */
export function startBackend(): Promise<BackendInfo> {
  let chosen: string | null = null;
  try {
    chosen = localStorage.getItem(KEY);
  } catch {
    // storage unavailable: use the default
  }
  return setupBackend(chosen ? [chosen] : []);
}

/** "TF.js backend: [webgl ▾]": switching reloads the page on the new backend. */
export function backendPicker(info: BackendInfo): HTMLElement {
  const root = document.createElement("p");
  root.className = "backend-note";
  const select = document.createElement("select");
  select.setAttribute("aria-label", "TF.js backend");
  for (const name of info.available) {
    const option = document.createElement("option");
    option.value = option.textContent = name;
    option.selected = name === info.name;
    select.append(option);
  }
  select.addEventListener("change", () => {
    try {
      localStorage.setItem(KEY, select.value);
    } catch {
      return;
    }
    location.reload();
  });
  root.append("실행 중인 TF.js backend: ", select, ` (TF.js ${info.version}) · 바꾸면 페이지를 다시 읽습니다.`);
  return root;
}
