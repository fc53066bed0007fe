/**
 * How the photos in data/images/ were made from skimage's originals (issue 18, item 4). Run once by hand; the
 * results are committed, and the build needs no image tool.
 *
 *   node scripts/resize-images.mjs ORIGINALS_DIR     # a folder with skimage's camera.png, astronaut.png, chelsea.png
 *
 * (skimage's originals: Debian's python3-skimage 0.19.3 test data, or this repository before the resize, e.g.
 * `git show c862559:data/images/astronaut.png`.)
 *
 * - camera.png: 512×512 → 256×256 grey PNG. Chapter 1 averages it to 256×256 anyway (`downscale`, 2×2 blocks):
 *   the same 2×2 means, rounded to 8 bits, so every value is within 0.5/255 of what the page computed before.
 * - astronaut.jpg: 512×512 → 256×256 (2×2 means), JPEG quality 90. Chapter 1 shows it at 192 px and cuts a 5×5
 *   patch from it.
 * - chelsea.jpg: its centre square (300×300 of 451×300), JPEG quality 80. Chapters 8 and 8-2 use only that square
 *   (they crop the centre square of whatever they load) at 224 px and at most 440 CSS px. chelsea.png stays as the
 *   unit tests' fixture (Node decodes PNG, not JPEG); no page loads it.
 *
 * The averaging is done here, exactly; JPEG encoding is Chromium's (canvas.toBlob), so no new dependency.
 */
import {readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {PNG} from "pngjs";
import {chromium} from "playwright-core";

const QUALITY = 0.9;
const dir = process.argv[2];
if (!dir) throw new Error("usage: node scripts/resize-images.mjs ORIGINALS_DIR");
const out = new URL("../data/images/", import.meta.url).pathname;

/** RGBA halved by 2×2 means (rounded). */
function halve({width, height, data}) {
  const w = width >> 1;
  const h = height >> 1;
  const half = Buffer.alloc(w * h * 4);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let c = 0; c < 4; c++) {
        const at = (yy, xx) => data[((2 * y + yy) * width + 2 * x + xx) * 4 + c];
        half[(y * w + x) * 4 + c] = Math.round((at(0, 0) + at(0, 1) + at(1, 0) + at(1, 1)) / 4);
      }
  return {width: w, height: h, data: half};
}

const read = (name) => PNG.sync.read(readFileSync(join(dir, name)));

const camera = halve(read("camera.png"));
writeFileSync(join(out, "camera.png"), PNG.sync.write({...camera}, {colorType: 0}));

const browser = await chromium.launch({executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium"});
const page = await browser.newPage();
/** JPEG bytes of RGBA pixels, encoded by Chromium's canvas. */
async function jpeg({width, height, data}, quality = QUALITY) {
  const base64 = await page.evaluate(
    async ({width, height, pixels, quality}) => {
      const canvas = new OffscreenCanvas(width, height);
      const bytes = Uint8ClampedArray.from(atob(pixels), (c) => c.charCodeAt(0));
      canvas.getContext("2d").putImageData(new ImageData(bytes, width, height), 0, 0);
      const blob = await canvas.convertToBlob({type: "image/jpeg", quality});
      const buffer = new Uint8Array(await blob.arrayBuffer());
      let s = "";
      for (const b of buffer) s += String.fromCharCode(b);
      return btoa(s);
    },
    {width, height, pixels: Buffer.from(data).toString("base64"), quality}
  );
  return Buffer.from(base64, "base64");
}
writeFileSync(join(out, "astronaut.jpg"), await jpeg(halve(read("astronaut.png"))));
/** The centre square of RGBA pixels. */
function centreSquare({width, height, data}) {
  const side = Math.min(width, height);
  const [x0, y0] = [(width - side) >> 1, (height - side) >> 1];
  const square = Buffer.alloc(side * side * 4);
  for (let y = 0; y < side; y++)
    data.copy(square, y * side * 4, ((y0 + y) * width + x0) * 4, ((y0 + y) * width + x0 + side) * 4);
  return {width: side, height: side, data: square};
}
writeFileSync(join(out, "chelsea.jpg"), await jpeg(centreSquare(read("chelsea.png")), 0.8));
await browser.close();
console.log("data/images: camera.png, astronaut.jpg, chelsea.jpg written");
