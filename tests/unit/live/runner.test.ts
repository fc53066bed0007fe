import {transform} from "sucrase";
import {afterEach, describe, expect, test} from "vitest";
import {tf} from "../../../lib/tf.js";
import {compileCell, SUCRASE_OPTIONS} from "../../../lib/live/compile.js";
import {CellRunner, errorLine, LoopTimeoutError, TensorTooLargeError} from "../../../lib/live/runner.js";

const compile = (code: string) => compileCell(code, (c) => transform(c, SUCRASE_OPTIONS).code);
let runner: CellRunner;
const run = (cellId: string, code: string, scope: Record<string, unknown> = {}) =>
  runner.enqueue({cellId, body: compile(code), scope: {tf, ...scope}});

afterEach(() => runner?.dispose());

describe("CellRunner", () => {
  test("a tensor over the limits is refused before it is allocated, with its size; smaller ones are made", async () => {
    runner = new CellRunner({maxTensorBytes: 4000, maxTotalBytes: 2 ** 40});
    const before = tf.memory().numTensors;
    const big = await run("big", "tf.ones([10, 101]).sum()"); // 1,010 floats = 4,040 bytes > 4,000
    expect(big.status).toBe("error");
    if (big.status === "error") {
      expect(big.error).toBeInstanceOf(TensorTooLargeError);
      expect(big.error.message).toContain("[10, 101]");
    }
    const fits = await run("fits", "tf.ones([10, 100]).sum().dataSync()[0]"); // 4,000 bytes: allowed
    expect(fits).toMatchObject({status: "ok", value: 1000});
    runner.dispose();
    expect(tf.memory().numTensors).toBe(before);
    // outside a cell run the page's own tensors are not limited
    const outside = tf.ones([10, 101]);
    expect(outside.size).toBe(1010);
    outside.dispose();
  });

  test("the total limit counts the tensors that exist", async () => {
    const page = tf.zeros([1000]); // 4,000 bytes the page holds
    runner = new CellRunner({maxTensorBytes: 2 ** 40, maxTotalBytes: tf.memory().numBytes + 400});
    const out = await run("total", "tf.ones([101])"); // 404 bytes more than allowed in total
    expect(out.status).toBe("error");
    const ok = await run("total2", "tf.ones([100]).size");
    expect(ok).toMatchObject({status: "ok", value: 100});
    page.dispose();
  });

  test("a page tensor reaches the cell as a clone: disposing it there leaves the page's", async () => {
    runner = new CellRunner();
    const photo = tf.tensor([1, 2, 3]);
    const out = await run("dispose", "photo.dispose();\nphoto.isDisposed", {photo});
    expect(out).toMatchObject({status: "ok", value: true});
    expect(photo.isDisposed).toBe(false);
    expect(Array.from(photo.dataSync())).toEqual([1, 2, 3]);
    photo.dispose();
  });

  test("runs a cell and gives its last value", async () => {
    runner = new CellRunner();
    const out = await run("a", "const x: number = 6;\nawait Promise.resolve();\nx * 7");
    expect(out).toMatchObject({status: "ok", value: 42});
  });

  test("a runtime error names the reader's line", async () => {
    runner = new CellRunner();
    const out = await run("err", "const a = 1;\nconst b = 2;\nnull.boom;\nconst c = 3;");
    expect(out.status).toBe("error");
    if (out.status !== "error") return;
    expect(out.error).toBeInstanceOf(TypeError);
    expect(out.line).toBe(3);
    expect(errorLine(new Error("elsewhere"), "err")).toBeUndefined();
  });

  test("the loop guard ends while (true) {} with a clear message", async () => {
    runner = new CellRunner({guardMs: 300});
    const t0 = performance.now();
    const out = await run("loop", "let i = 0;\nwhile (true) { i++; }");
    expect(out.status).toBe("error");
    if (out.status === "error") expect(out.error).toBeInstanceOf(LoopTimeoutError);
    expect(performance.now() - t0).toBeLessThan(3000);
  });

  test("a loop that yields is not a runaway", async () => {
    runner = new CellRunner({guardMs: 200});
    const out = await run(
      "yielding",
      "let n = 0;\nconst end = performance.now() + 600;\nwhile (performance.now() < end) { n++; if (n % 1000 === 0) await sleep(0); }\n'done'"
    );
    expect(out).toMatchObject({status: "ok", value: "done"});
  });

  test("stop() ends a long async loop at its next await", async () => {
    runner = new CellRunner();
    const pending = run("long", "for (let i = 0; i < 1e6; i++) { await sleep(5); }");
    await new Promise((r) => setTimeout(r, 50));
    expect(runner.current).toBe("long");
    await runner.stop();
    expect(await pending).toMatchObject({status: "stopped"});
    expect(runner.current).toBeUndefined();
  });

  test("runs queue one at a time; runNow stops the current run first", async () => {
    runner = new CellRunner();
    const order: string[] = [];
    const log = (s: string) => order.push(s);
    const first = run("one", "log('one start'); await sleep(30); log('one end');", {log});
    const second = run("two", "log('two start'); await sleep(10); log('two end');", {log});
    expect((await first).status).toBe("ok");
    expect((await second).status).toBe("ok");
    expect(order).toEqual(["one start", "one end", "two start", "two end"]);
    const slow = run("slow", "log('slow start'); await sleep(10000); log('slow end');", {log});
    await new Promise((r) => setTimeout(r, 20));
    const now = await runner.runNow({cellId: "click", body: compile("log('click'); 1"), scope: {log}});
    expect(await slow).toMatchObject({status: "stopped"});
    expect(now).toMatchObject({status: "ok", value: 1});
    expect(order.slice(4)).toEqual(["slow start", "click"]);
  });

  test("twenty re-runs of a training cell leave as many tensors as one run", async () => {
    runner = new CellRunner();
    const start = tf.memory().numTensors;
    const training = `
const model = tf.sequential({layers: [tf.layers.dense({units: 8, inputShape: [4], activation: "relu"}), tf.layers.dense({units: 1})]});
model.compile({optimizer: tf.train.adam(0.01), loss: "meanSquaredError"});
const xs = tf.randomNormal([32, 4]);
const ys = xs.sum(1, true);
const history = await model.fit(xs, ys, {epochs: 2, batchSize: 8, verbose: 0});
const kept = tf.tidy(() => model.predict(xs) as tf.Tensor);
history.history.loss.length`;
    expect(await run("train", training)).toMatchObject({status: "ok", value: 2});
    const afterOne = tf.memory().numTensors;
    expect(afterOne).toBeGreaterThan(start); // the run's tensors stay until the next run
    for (let i = 0; i < 19; i++) await run("train", training);
    expect(tf.memory().numTensors).toBe(afterOne);
    runner.disposeCell("train");
    expect(tf.memory().numTensors).toBe(start);
  });

  test("tensors the page makes while a cell waits are not the cell's", async () => {
    runner = new CellRunner();
    const start = tf.memory().numTensors;
    const pending = run("waits", "const mine = tf.ones([2]);\nawait sleep(40);\nconst later = tf.zeros([3]);");
    await new Promise((r) => setTimeout(r, 10));
    const pageTensor = tf.scalar(5); // made by "the page" during the cell's await
    await pending;
    runner.disposeCell("waits");
    expect(pageTensor.isDisposed).toBe(false);
    expect(tf.memory().numTensors).toBe(start + 1);
    pageTensor.dispose();
  });

  test("a tensor returned by an await belongs to the cell", async () => {
    runner = new CellRunner();
    const start = tf.memory().numTensors;
    const make = async () => {
      await new Promise((r) => setTimeout(r, 5));
      return tf.ones([4]);
    };
    await run("returned", "const t = await make();\nt.shape", {make});
    runner.disposeCell("returned");
    expect(tf.memory().numTensors).toBe(start);
  });
});

describe("CellRunner, edge cases", () => {
  test("a page tensor the cell returns or awaits is not the cell's", async () => {
    runner = new CellRunner();
    const camera = tf.ones([2, 2]);
    await run("show", "await Promise.resolve(camera);\ncamera", {camera});
    runner.disposeCell("show");
    expect(camera.isDisposed).toBe(false);
    camera.dispose();
  });

  test("Stop ends a cell waiting on a promise that never settles", async () => {
    runner = new CellRunner();
    const pending = run("forever", "await new Promise(() => {});");
    await new Promise((r) => setTimeout(r, 20));
    await runner.stop();
    expect(await pending).toMatchObject({status: "stopped"});
    expect(await run("after", "1 + 1")).toMatchObject({status: "ok", value: 2});
  });

  test("a loop that only awaits resolved promises still trips the guard", async () => {
    runner = new CellRunner({guardMs: 300});
    const out = await run("microtasks", "while (true) { await 0; }");
    expect(out.status).toBe("error");
    if (out.status === "error") expect(out.error).toBeInstanceOf(LoopTimeoutError);
  });

  test("a loop in a callback the cell left behind is not stopped after the run", async () => {
    runner = new CellRunner({guardMs: 50});
    const out = await run(
      "callback",
      "const f = () => { let s = 0; for (let i = 0; i < 10; i++) s += i; return s; };\nf"
    );
    if (out.status !== "ok") throw new Error(out.status);
    await new Promise((r) => setTimeout(r, 120)); // well past guardMs
    expect((out.value as () => number)()).toBe(45);
  });

  test("clicking Run twice on a running cell never overlaps the two runs", async () => {
    runner = new CellRunner();
    const log: string[] = [];
    const request = (tag: string) => ({
      cellId: "twice",
      body: compile(`log('${tag} start');\nawait sleep(50);\nlog('${tag} end');`),
      scope: {log: (s: string) => log.push(s)}
    });
    const first = runner.runNow(request("a"));
    await new Promise((r) => setTimeout(r, 10));
    const second = runner.runNow(request("b"));
    expect(await first).toMatchObject({status: "stopped"});
    expect(await second).toMatchObject({status: "ok"});
    expect(log).toEqual(["a start", "b start", "b end"]);
  });
});
