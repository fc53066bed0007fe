/**
 * The sentences of chapter 8's V4 and V5, written from the run's numbers (../train/data-scaling.ts,
 * ../train/distill.ts), and the V4 chart's data. They say what this run shows at this scale, including where it does
 * not reproduce the notes.
 */
import {COMPARED_TITLES, type ComparedModel} from "../models/vit-vs-resnet.js";
import type {ScalingSummary, ShiftRow} from "../train/data-scaling.js";
import {shiftDrops} from "../train/data-scaling.js";
import {atChance, atChanceSentence} from "./attention-cnn.js";

/** Subject forms, read as Korean reads the names ("비트가", "레즈넷이"; ../korean.ts reads the letter T as a consonant). */
const SUBJECT: Record<ComparedModel, string> = {vit: "ViT가", resnet: "ResNet이"};
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const count = (n: number) => n.toLocaleString("en-US");
/** A gap in percentage points with its sign, one decimal: "+1.2%p", "−3.0%p". */
export function points(gap: number): string {
  const r = Math.round(1000 * gap) / 10;
  return r > 0 ? `+${r.toFixed(1)}%p` : r < 0 ? `−${(-r).toFixed(1)}%p` : "±0.0%p";
}

/** One point per model and size for the chart (accuracy against training-set size). */
export function scalingPoints(summary: ScalingSummary): {model: string; size: number; accuracy: number}[] {
  return summary.rows.flatMap((r) =>
    (["resnet", "vit"] as const).map((m) => ({model: COMPARED_TITLES[m], size: r.size, accuracy: r[m]}))
  );
}

/** The V4 sentence: the numbers per size, then what they do and do not reproduce of the notes' claim. */
export function describeScaling(summary: ScalingSummary, run: {epochs: number; testSize: number}): string {
  const {rows} = summary;
  if (rows.length === 0) return "아직 두 모델을 모두 학습한 데이터 크기가 없습니다.";
  const [v, r] = [COMPARED_TITLES.vit, COMPARED_TITLES.resnet];
  const each = rows
    .map(
      (row) => `${count(row.size)}장에서 ${r} ${pct(row.resnet)}, ${v} ${pct(row.vit)} (${v} − ${r} ${points(row.gap)})`
    )
    .join(", ");
  const head =
    `학습 이미지 수마다 같은 ${run.epochs} epoch을 학습하고 테스트 이미지 ${count(run.testSize)}장으로 잰 정확도: ${each}. ` +
    `차이가 테스트 이미지 수에서 오는 잡음 폭 (표준오차의 2배, ${rows.map((x) => points(x.band).replace("+", "±")).join(", ")}) 안이면 비긴 것으로 봅니다.`;
  const first = rows[0];
  const last = rows.at(-1)!;
  const verdict: Record<ScalingSummary["pattern"], string> = {
    reproduced:
      `이 실행은 노트의 주장을 이 규모에서 재현했습니다: 적은 데이터 (${count(first.size)}장)에서는 ${SUBJECT.resnet}, ` +
      `${count(summary.crossover ?? last.size)}장부터는 ${SUBJECT.vit} 앞섰습니다.`,
    narrowing:
      `${SUBJECT.resnet} 모든 크기에서 앞서거나 비겼고, 차이는 ${count(first.size)}장의 ${points(first.gap)}에서 ` +
      `${count(last.size)}장의 ${points(last.gap)}로 줄었습니다: 데이터가 늘수록 ${SUBJECT.vit} 따라오는 방향은 ` +
      `노트와 같지만, ${SUBJECT.vit} 앞서는 지점은 이 규모에서 나오지 않았습니다.`,
    resnet:
      `${SUBJECT.resnet} 모든 크기에서 앞서거나 비겼고, 데이터가 늘어도 차이가 줄지 않았습니다 ` +
      `(${points(first.gap)} → ${points(last.gap)}): 적은 데이터에서 CNN이 낫다는 절반은 재현했지만, 많은 데이터에서 ` +
      `${SUBJECT.vit} 낫다는 절반은 이 규모에서 보이지 않았습니다.`,
    vit:
      `${SUBJECT.vit} 모든 크기에서 앞서거나 비겼습니다: 적은 데이터에서 CNN이 낫다는 노트의 절반은 이 실행에서 ` +
      `재현되지 않았습니다 (epoch 수나 데이터 크기를 바꿔 다시 재 보세요).`,
    reversed:
      `노트와 반대로, 적은 데이터에서는 ${SUBJECT.vit}, 많은 데이터에서는 ${SUBJECT.resnet} 앞섰습니다: ` +
      `이 실행은 노트의 주장을 재현하지 않았습니다.`,
    ties: `어느 크기에서도 차이가 잡음 폭 안이라, 이 실행으로는 어느 쪽이 낫다고 말할 수 없습니다.`,
    mixed: `앞서는 모델이 크기마다 엇갈려, 노트의 주장 (적으면 CNN, 많으면 ViT)과 같은 한 방향의 흐름은 보이지 않았습니다.`
  };
  // a model still at chance at some size: no verdict on the notes' claim from this run
  const idle = rows.flatMap((row) =>
    (["resnet", "vit"] as const)
      .filter((m) => atChance(row[m], run.testSize))
      .map((m) => `${COMPARED_TITLES[m]} (${count(row.size)}장)`)
  );
  if (idle.length > 0) {
    return `${head} ${atChanceSentence(idle, run.testSize, "그 크기에서 두 모델을 비교하기에")} 그래서 이 실행으로는 노트의 주장을 판정하지 않습니다.`;
  }
  return `${head} ${verdict[summary.pattern]}`;
}

/** The inductive-bias check: accuracy on test images moved sideways, per model. */
export function describeShift(rows: readonly ShiftRow[], trainSize: number): string {
  const drops = shiftDrops(rows);
  if (drops.length < 2) return "";
  const at = (m: ComparedModel, s: number) => rows.find((x) => x.model === m && x.shift === s)?.accuracy ?? NaN;
  const parts = drops.map(
    (d) => `${COMPARED_TITLES[d.model]} ${pct(at(d.model, 0))} → ${pct(at(d.model, d.shift))} (${points(-d.drop)})`
  );
  const [a, b] = drops;
  const more = Math.abs(a.drop - b.drop) < 0.005 ? undefined : a.drop > b.drop ? a.model : b.model;
  const shift = a.shift;
  return (
    `${count(trainSize)}장으로 학습한 두 모델에 테스트 이미지를 오른쪽으로 ${shift}픽셀 옮겨 넣으면: ${parts.join(", ")}. ` +
    (more ? `${SUBJECT[more]} 더 많이 떨어졌습니다.` : "두 모델이 거의 같은 만큼 떨어졌습니다.")
  );
}

/** V5: one model's numbers on the test images. */
export interface ImproveRow {
  name: string;
  accuracy: number;
  /** Share of test images where it predicts the teacher's class (NaN without a teacher). */
  agreement: number;
}

/** The V5 sentence: the improved ViT against the plain one on the same budget, and the teacher when there is one. */
export function describeImprovement(
  rows: {baseline: ImproveRow; improved: ImproveRow; teacher?: ImproveRow},
  run: {switches: string[]; epochs: number; trainSize: number; testSize: number}
): string {
  const {baseline, improved, teacher} = rows;
  const band =
    2 *
    Math.sqrt(
      (baseline.accuracy * (1 - baseline.accuracy) + improved.accuracy * (1 - improved.accuracy)) / run.testSize
    );
  const gap = improved.accuracy - baseline.accuracy;
  const what = run.switches.length ? `켠 방법: ${run.switches.join(", ")}` : "켠 방법 없음";
  const noise = `잡음 폭 ±${(100 * band).toFixed(1)}%p`;
  const idle = [baseline, improved].filter((r) => atChance(r.accuracy, run.testSize));
  const teacherIdle = teacher !== undefined && atChance(teacher.accuracy, run.testSize);
  const poorTeacher = teacher !== undefined && teacher.accuracy <= baseline.accuracy;
  const why = poorTeacher
    ? "teacher가 기본 ViT보다 정확하지 않아, student의 distillation head가 틀린 답을 많이 배웠습니다."
    : run.switches.some((s) => s !== "distillation")
      ? "짧은 학습에서는 augmentation과 regularization이 학습을 늦추는 비용이 먼저 보일 수 있습니다."
      : "";
  const verdict =
    idle.length > 0
      ? atChanceSentence(
          idle.map((r) => r.name),
          run.testSize,
          "두 ViT를 비교하기에"
        )
      : Math.abs(gap) <= band
        ? `차이 ${points(gap)}는 ${noise} 안이라, 이 예산에서는 도움이 보이지 않았습니다.`
        : gap > 0
          ? `${points(gap)}로 ${noise}보다 크게 나아졌습니다.`
          : `오히려 ${points(gap)} 나빠졌습니다 (${noise}).${why ? ` ${why}` : ""}`;
  let text =
    `학습 이미지 ${count(run.trainSize)}장, ${run.epochs} epoch, 테스트 이미지 ${count(run.testSize)}장: ` +
    `기본 ViT ${pct(baseline.accuracy)}, ${improved.name} ${pct(improved.accuracy)} (${what}). ${verdict}`;
  if (teacher) {
    text +=
      ` teacher (ResNet)의 정확도는 ${pct(teacher.accuracy)}이고, teacher와 같은 답을 낸 비율은 기본 ViT ${pct(baseline.agreement)}, ` +
      `${improved.name} ${pct(improved.agreement)}입니다` +
      (improved.agreement > baseline.agreement
        ? ": distillation을 받은 student가 teacher의 판단을 더 닮았습니다."
        : ": 이 실행에서는 student가 기본 ViT보다 teacher를 더 닮지 않았습니다.");
    if (teacherIdle) {
      text +=
        ` teacher가 아직 우연 수준 (10개 클래스 중 찍기)의 잡음 폭 안이라, 이 teacher에게서 distillation으로 배울 것은 없습니다: ` +
        `teacher의 학습 이미지나 epoch를 늘려 다시 재 보세요.`;
    } else if (poorTeacher && gap >= -band && idle.length === 0) {
      text +=
        " teacher가 기본 ViT보다 낫지 않으면 teacher에게 배울 것이 적습니다 (DeiT는 더 나은 CNN teacher를 씁니다).";
    }
  }
  return text;
}
