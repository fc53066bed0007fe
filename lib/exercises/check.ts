/**
 * Exercises that check themselves (every chapter's 연습 section): a checker takes what the reader gave (a number, a
 * live cell's value) and returns whether it is right, with a message that explains either way. Chapter checkers live
 * in `lib/exercises/<slug>.ts`; the page shows them with `src/components/shared/exercise.ts`.
 */

import {withParticle} from "../korean.js";

export interface CheckResult {
  ok: boolean;
  /** Feedback in Korean: why it is right, or what the mistake probably was. */
  message: string;
}

export interface CheckNumberOptions {
  /** Largest accepted |value − expected|. Default: 1e-9 · max(1, |expected|) (an exact answer). */
  tolerance?: number;
  /** Known wrong answers and what they mean (e.g. the result of forgetting the bias). */
  hints?: {value: number; message: string}[];
  /** Shown after a right answer. */
  explain?: string;
}

/** Format a number for feedback: integers with separators, others to 4 significant digits. */
export function formatAnswer(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return Number.isInteger(x) ? x.toLocaleString("en-US") : x.toLocaleString("en-US", {maximumSignificantDigits: 4});
}

/** Compare a typed number with the computed answer. */
export function checkNumber(value: number, expected: number, opts: CheckNumberOptions = {}): CheckResult {
  const tolerance = opts.tolerance ?? 1e-9 * Math.max(1, Math.abs(expected));
  if (!Number.isFinite(value)) return {ok: false, message: "숫자를 입력하세요."};
  const close = (a: number, b: number) => Math.abs(a - b) <= tolerance;
  if (close(value, expected)) {
    return {ok: true, message: `${formatAnswer(expected)}.${opts.explain ? ` ${opts.explain}` : ""}`};
  }
  const hint = opts.hints?.find((h) => !close(h.value, expected) && close(value, h.value));
  if (hint) return {ok: false, message: `${formatAnswer(value)}: ${hint.message}`};
  const direction = value < expected ? "작습니다" : "큽니다";
  return {
    ok: false,
    message: `${withParticle(formatAnswer(value), "은/는")} 답이 아닙니다 (답보다 ${direction}). 공식을 다시 따라가 보세요.`
  };
}

/** Parse what the reader typed: digits with optional separators, a sign, a decimal point or an exponent. */
export function parseAnswer(text: string): number {
  const cleaned = text
    .trim()
    .replace(/[,\s_]/g, "")
    .replace(/[−–]/g, "-");
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(cleaned)) return NaN;
  return Number(cleaned);
}

/** A typed-number exercise with its question and worked steps (chapters 3 and 4 write theirs this way). */
export interface NumberExerciseSpec {
  id: string;
  /** The question, in Korean, with its numbers. */
  question: string;
  /** Label of the input. */
  label: string;
  unit?: string;
  expected: number;
  check(value: number): CheckResult;
  /** The worked answer, one line per step. */
  steps: string[];
}
