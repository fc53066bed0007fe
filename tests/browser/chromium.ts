/** Debian's Chromium, driven by playwright-core. Playwright's own browser download does not work here. */
import {existsSync} from "node:fs";
import {chromium, type Browser} from "playwright-core";

const CANDIDATES = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"];

export function chromiumPath(): string {
  const path = CANDIDATES.find((p): p is string => !!p && existsSync(p));
  if (!path) {
    throw new Error(
      "No Chromium found for the browser tests. Install Debian's package: `sudo apt-get install chromium fonts-noto-cjk` " +
        "(or set CHROMIUM_PATH to a Chromium or Chrome binary)."
    );
  }
  return path;
}

/**
 * Chromium with the network cut. `webgpu`: WebGPU enabled (`--enable-unsafe-webgpu`: here SwiftShader's fallback
 * adapter) instead of the GPU disabled.
 */
export function launch({webgpu = false}: {webgpu?: boolean} = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      "--no-sandbox",
      webgpu ? "--enable-unsafe-webgpu" : "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      // the network is cut: every host name but the local server's fails to resolve
      "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
    ]
  });
}
