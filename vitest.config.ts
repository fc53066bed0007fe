import {defineConfig} from "vitest/config";

export default defineConfig({
  resolve: {
    // lib/tf.ts imports the prebuilt browser bundle; in Node the package entry is the same API
    alias: {"@tensorflow/tfjs/dist/tf.fesm.min.js": "@tensorflow/tfjs"}
  },
  test: {
    include: ["tests/unit/**/*.test.ts"],
    setupFiles: ["tests/unit/setup.ts"],
    testTimeout: 60_000
  }
});
