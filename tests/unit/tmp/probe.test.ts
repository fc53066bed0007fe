import {test, expect} from "vitest";
import {seq2seq, translate, attentionSteps} from "../../../lib/models/seq2seq.js";
import {SOURCE_VOCAB, TARGET_VOCAB, encodeSource, START} from "../../../lib/data/dates.js";
test("probe", () => {
  const s = seq2seq({sourceVocab: SOURCE_VOCAB.size, targetVocab: TARGET_VOCAB.size, attention: "dot", seed: 1});
  const enc = encodeSource(["Sun, Nov 29, 2026"], 12);
  const [t] = translate(s, enc.source, {maxLength: 5});
  console.log(t.tokens, t.attention?.length, t.attention?.[0].length);
  const st = attentionSteps(s, enc.source, [START]);
  console.log(st.scores.length, st.token);
  enc.source.dispose(); s.dispose();
  expect(1).toBe(1);
});
