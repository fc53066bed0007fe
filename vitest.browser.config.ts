import {defineConfig} from "vitest/config";

// The browser suite: it serves the built dist/ and drives Debian's Chromium. Run after `npm run build`.
export default defineConfig({
  test: {
    include: ["tests/browser/**/*.test.ts"],
    testTimeout: 180_000,
    hookTimeout: 60_000,
    fileParallelism: false
  }
});
