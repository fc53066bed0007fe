// Data loader: the 60,000 Fashion-MNIST training images and labels in the site's compact format
// (lib/data/mnist-format.ts), 4 bits per pixel (each pixel within 8/255 of the original) and gzip, as MNIST's
// training file: 11.8 MB instead of 47 MB (clothes have far more grey than digits, so the same format compresses
// less than MNIST's 5.73 MB). Reads the original gzip IDX files of Debian's `dataset-fashion-mnist`
// (lib/data/fashion-mnist.ts, data/README.md).
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {gunzipSync, gzipSync} from "node:zlib";
import {FASHION_MNIST_COUNTS, FASHION_MNIST_DIR, FASHION_MNIST_FILES} from "../../lib/data/fashion-mnist.js";
import {encodeMnist, mnistFromIdx, MNIST_TRAIN_BITS} from "../../lib/data/mnist-format.js";

const read = (name: string) => gunzipSync(readFileSync(join(FASHION_MNIST_DIR, name)));
const files = FASHION_MNIST_FILES.train;
const set = mnistFromIdx(read(files.images), read(files.labels));
if (set.count !== FASHION_MNIST_COUNTS.train) throw new Error(`fashion-train.bin: ${set.count} images, expected 60000`);
process.stdout.write(encodeMnist(set, {bits: MNIST_TRAIN_BITS, gzip: (b) => gzipSync(b, {level: 6, memLevel: 9})}));
