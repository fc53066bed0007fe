/**
 * Chapter 5 「Seq2Seq」 and chapter 6 「Attention」: the translation task. English dates go in, Korean dates come out
 * ("Sunday, November 29, 2026" → "2026년 11월 29일 일요일"). Source and target differ in word order (the year moves
 * to the front) and in length, as the notes ask of a translation ("영어 → 한국어, 어순과 시퀀스 크기가 달라도").
 * One example holds 1 … maxDates dates, joined " and " in English and ", " in Korean, so input lengths range from
 * 6 to 40+ tokens and the context vector's bottleneck can show.
 *
 * Everything is built from the tables below and plain arithmetic: no `Date`, `Intl` or `toLocale*` (they differ
 * between Node and browsers). Examples are seeded (mulberry32): the same seed gives the same examples.
 *
 * Tokens: the source is cut into lowercased letter runs ("sunday", "nov", "the", "th", "of", "and"), one token per
 * digit, one per punctuation character, and "▁" for whitespace between two digits; the target into digits, "년",
 * "월", "일", the weekday names and ",". Both vocabularies are fixed lists built from the tables, never from data.
 */
import {tf} from "../tf.js";
import {mulberry32} from "../random.js";

// ---- calendar ---------------------------------------------------------------------------------------------------

export interface CalendarDate {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
}

/** The task's years (two-digit years read 50–99 → 19xx, 00–49 → 20xx). */
export const FIRST_YEAR = 1950;
export const LAST_YEAR = 2049;

export const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December"
] as const;
export const MONTH_ABBREVIATIONS = MONTH_NAMES.map((m) => m.slice(0, 3));
export const WEEKDAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;
export const WEEKDAY_ABBREVIATIONS = WEEKDAY_NAMES.map((w) => w.slice(0, 3));
export const KOREAN_WEEKDAYS = ["일요일", "월요일", "화요일", "수요일", "목요일", "금요일", "토요일"] as const;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeapYear(year) ? 29 : 28) : [31, 0, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

/** Days since 1970-01-01 of a Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400; // [0, 399]
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1; // [0, 365], from March 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy; // [0, 146096]
  return era * 146097 + doe - 719468;
}

/** The date `days` after 1970-01-01 (inverse of daysFromCivil). */
export function civilFromDays(days: number): CalendarDate {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return {year, month, day, weekday: mod(days + 4, 7)}; // 1970-01-01 was a Thursday
}

/** Day of the week, 0 = Sunday, of a Gregorian date. */
export function weekdayOf(year: number, month: number, day: number): number {
  return mod(daysFromCivil(year, month, day) + 4, 7);
}

/** A date with its weekday filled in. */
export function calendarDate(year: number, month: number, day: number): CalendarDate {
  return {year, month, day, weekday: weekdayOf(year, month, day)};
}

function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}

// ---- formats ----------------------------------------------------------------------------------------------------

export type SourceFormat =
  | "long" // "November 29, 2026"
  | "weekday-long" // "Sunday, November 29, 2026"
  | "short" // "Nov 29, 2026"
  | "weekday-short" // "Sun, Nov 29, 2026"
  | "day-month" // "29 November 2026"
  | "ordinal" // "the 29th of November, 2026"
  | "us-numeric" // "11/29/2026"
  | "us-short" // "11/29/26"
  | "iso"; // "2026-11-29"

export const SOURCE_FORMATS: readonly SourceFormat[] = [
  "long",
  "weekday-long",
  "short",
  "weekday-short",
  "day-month",
  "ordinal",
  "us-numeric",
  "us-short",
  "iso"
];

/** Whether the format names the weekday (then the Korean target names it too). */
export function namesWeekday(f: SourceFormat): boolean {
  return f === "weekday-long" || f === "weekday-short";
}

/** 1st 2nd 3rd 4th … 11th 12th 13th … 21st 22nd 23rd … 31st */
export function ordinalSuffix(n: number): "st" | "nd" | "rd" | "th" {
  if (n % 100 >= 11 && n % 100 <= 13) return "th";
  return n % 10 === 1 ? "st" : n % 10 === 2 ? "nd" : n % 10 === 3 ? "rd" : "th";
}

const pad2 = (n: number) => String(n).padStart(2, "0");

/** The date in an English format (numeric formats unpadded except ISO: "3/4/2021", "2021-03-04"). */
export function englishDate(d: CalendarDate, f: SourceFormat): string {
  const month = MONTH_NAMES[d.month - 1];
  const mon = MONTH_ABBREVIATIONS[d.month - 1];
  switch (f) {
    case "long":
      return `${month} ${d.day}, ${d.year}`;
    case "weekday-long":
      return `${WEEKDAY_NAMES[d.weekday]}, ${month} ${d.day}, ${d.year}`;
    case "short":
      return `${mon} ${d.day}, ${d.year}`;
    case "weekday-short":
      return `${WEEKDAY_ABBREVIATIONS[d.weekday]}, ${mon} ${d.day}, ${d.year}`;
    case "day-month":
      return `${d.day} ${month} ${d.year}`;
    case "ordinal":
      return `the ${d.day}${ordinalSuffix(d.day)} of ${month}, ${d.year}`;
    case "us-numeric":
      return `${d.month}/${d.day}/${d.year}`;
    case "us-short":
      return `${d.month}/${d.day}/${pad2(d.year % 100)}`;
    case "iso":
      return `${d.year}-${pad2(d.month)}-${pad2(d.day)}`;
  }
}

/** "2026년 11월 29일 일요일" (weekday) or "2026년 11월 29일". */
export function koreanDate(d: CalendarDate, weekday: boolean): string {
  const text = `${d.year}년 ${d.month}월 ${d.day}일`;
  return weekday ? `${text} ${KOREAN_WEEKDAYS[d.weekday]}` : text;
}

// ---- examples ---------------------------------------------------------------------------------------------------

export interface DateExample {
  source: string;
  target: string;
  dates: CalendarDate[];
  formats: SourceFormat[];
}

/** The Korean target of dates in given formats: each date with its weekday iff its format names it, joined ", ". */
export function koreanTarget(dates: CalendarDate[], formats: SourceFormat[]): string {
  return dates.map((d, i) => koreanDate(d, namesWeekday(formats[i]))).join(", ");
}

/**
 * One example = 1 … maxDates dates (count uniform), each a uniform day of 1950–2049 in a uniform format, joined
 * " and " in the source and ", " in the target. Seeded: the same options give the same list.
 */
export function dateExamples(opts: {count: number; seed: number; minDates?: number; maxDates?: number}): DateExample[] {
  const {count, seed, minDates = 1, maxDates = 3} = opts;
  if (!(minDates >= 1 && maxDates >= minDates)) throw new Error(`dateExamples: need 1 ≤ minDates ≤ maxDates`);
  const rand = mulberry32(seed);
  const pick = (n: number) => Math.min(n - 1, Math.floor(rand() * n));
  const first = daysFromCivil(FIRST_YEAR, 1, 1);
  const span = daysFromCivil(LAST_YEAR, 12, 31) - first + 1;
  const examples: DateExample[] = [];
  for (let i = 0; i < count; i++) {
    const k = minDates + pick(maxDates - minDates + 1);
    const dates: CalendarDate[] = [];
    const formats: SourceFormat[] = [];
    for (let j = 0; j < k; j++) {
      dates.push(civilFromDays(first + pick(span)));
      formats.push(SOURCE_FORMATS[pick(SOURCE_FORMATS.length)]);
    }
    const source = dates.map((d, j) => englishDate(d, formats[j])).join(" and ");
    examples.push({source, target: koreanTarget(dates, formats), dates, formats});
  }
  return examples;
}

// ---- tokens -----------------------------------------------------------------------------------------------------

export const PAD = 0,
  START = 1,
  END = 2,
  UNK = 3;
/** How the special tokens are spelled in both vocabularies (ids PAD, START, END, UNK). */
export const SPECIAL_TOKENS = ["<pad>", "<start>", "<end>", "<unk>"] as const;
/** The source token for whitespace between two digits ("29 2026" is not "292026"). */
export const DIGIT_SPACE = "▁";

export interface Vocabulary {
  tokens: readonly string[];
  /** The token's id, UNK if unknown. */
  id(token: string): number;
  size: number;
}

function vocabulary(tokens: string[]): Vocabulary {
  const all = [...SPECIAL_TOKENS, ...new Set(tokens)];
  const index = new Map(all.map((t, i) => [t, i]));
  return {tokens: all, id: (t) => index.get(t) ?? UNK, size: all.length};
}

const DIGITS = Array.from({length: 10}, (_, i) => String(i));

export const SOURCE_VOCAB: Vocabulary = vocabulary([
  ...DIGITS,
  ",",
  "/",
  "-",
  DIGIT_SPACE,
  "the",
  "of",
  "and",
  "st",
  "nd",
  "rd",
  "th",
  ...MONTH_NAMES.map((m) => m.toLowerCase()),
  ...MONTH_ABBREVIATIONS.map((m) => m.toLowerCase()), // "may" once
  ...WEEKDAY_NAMES.map((w) => w.toLowerCase()),
  ...WEEKDAY_ABBREVIATIONS.map((w) => w.toLowerCase())
]);

export const TARGET_VOCAB: Vocabulary = vocabulary([...DIGITS, "년", "월", "일", ...KOREAN_WEEKDAYS, ","]);

/**
 * Source tokens: lowercased letter runs, one token per digit, each other non-space character on its own, and "▁"
 * for whitespace between two digits; other whitespace is dropped.
 */
export function sourceTokens(text: string): string[] {
  const tokens: string[] = [];
  const chars = [...text];
  let i = 0;
  while (i < chars.length) {
    const c = chars[i];
    if (/\s/u.test(c)) {
      let j = i;
      while (j < chars.length && /\s/u.test(chars[j])) j++;
      if (i > 0 && j < chars.length && /\d/.test(chars[i - 1]) && /\d/.test(chars[j])) tokens.push(DIGIT_SPACE);
      i = j;
    } else if (/\p{L}/u.test(c)) {
      let j = i;
      while (j < chars.length && /\p{L}/u.test(chars[j])) j++;
      tokens.push(chars.slice(i, j).join("").toLowerCase());
      i = j;
    } else {
      tokens.push(c); // a digit or a punctuation character
      i++;
    }
  }
  return tokens;
}

const TARGET_WORDS = [...KOREAN_WEEKDAYS]; // multi-character target tokens, matched first
const UNITS = new Set(["년", "월", "일"]);

/** Target tokens: digits, "년", "월", "일", "월요일" … "일요일", ","; whitespace is dropped. */
export function targetTokens(text: string): string[] {
  const tokens: string[] = [];
  for (const word of text.split(/\s+/u).filter((w) => w.length > 0)) {
    let i = 0;
    while (i < word.length) {
      const name = TARGET_WORDS.find((w) => word.startsWith(w, i));
      const token = name ?? String.fromCodePoint(word.codePointAt(i)!);
      tokens.push(token);
      i += token.length;
    }
  }
  return tokens;
}

/**
 * Target tokens back to text: the inverse of targetTokens on well-formed output ("2026년 11월 29일 일요일, 2021년
 * 3월 4일"). "<pad>" and "<start>" are skipped, "<end>" ends the text; never throws on ill-formed output.
 */
export function joinTarget(tokens: string[]): string {
  let text = "";
  let previous = "";
  for (const token of tokens) {
    if (token === SPECIAL_TOKENS[END]) break;
    if (token === SPECIAL_TOKENS[PAD] || token === SPECIAL_TOKENS[START]) continue;
    const space =
      text.length > 0 &&
      token !== "," &&
      (UNITS.has(previous) || previous === "," || (KOREAN_WEEKDAYS as readonly string[]).includes(token));
    text += (space ? " " : "") + token;
    previous = token;
  }
  return text;
}

// ---- the reference parser ---------------------------------------------------------------------------------------

export type SourceProblem =
  /** no text */
  | "empty"
  /** a part matches none of the task's formats */
  | "format"
  /** no such day (e.g. February 30) */
  | "date"
  /** a year outside 1950–2049 */
  | "year"
  /** the named weekday is not that date's */
  | "weekday"
  /** an ordinal suffix that does not fit the day ("29st") */
  | "ordinal";

export type ParsedSource =
  | {ok: true; dates: CalendarDate[]; formats: SourceFormat[]}
  | {ok: false; problem: SourceProblem; part: string};

const monthIndex = (names: readonly string[]) => new Map(names.map((m, i) => [m.toLowerCase(), i + 1]));
const MONTHS_LONG = monthIndex(MONTH_NAMES);
const MONTHS_SHORT = monthIndex(MONTH_ABBREVIATIONS);
const WEEKDAYS_LONG = new Map(WEEKDAY_NAMES.map((w, i) => [w.toLowerCase(), i]));
const WEEKDAYS_SHORT = new Map(WEEKDAY_ABBREVIATIONS.map((w, i) => [w.toLowerCase(), i]));

interface Match {
  format: SourceFormat;
  year: number;
  month: number;
  day: number;
  weekday?: number;
  suffix?: string;
}

/** Token patterns: "D" a run of 1–2 digits, "DD" exactly 2, "YYYY" exactly 4, "YY" exactly 2, others literal. */
function matchPart(t: string[]): Match | null {
  const s = t.join(" ");
  const num = (re: string) => `((?:\\d )${re})`;
  const D = num("{1,2}"),
    DD = num("{2}"),
    Y4 = num("{4}");
  const word = "([a-z]+) ";
  const patterns: [SourceFormat, RegExp, (m: string[]) => Omit<Match, "format"> | null][] = [
    ["weekday-long", new RegExp(`^${word}, ${word}${D}, ${Y4}$`), (m) => wordDate(m, WEEKDAYS_LONG, MONTHS_LONG)],
    ["weekday-short", new RegExp(`^${word}, ${word}${D}, ${Y4}$`), (m) => wordDate(m, WEEKDAYS_SHORT, MONTHS_SHORT)],
    ["long", new RegExp(`^${word}${D}, ${Y4}$`), (m) => monthDate(m, MONTHS_LONG)],
    ["short", new RegExp(`^${word}${D}, ${Y4}$`), (m) => monthDate(m, MONTHS_SHORT)],
    ["day-month", new RegExp(`^${D}${word}${Y4}$`), (m) => dayMonth(m)],
    ["ordinal", new RegExp(`^the ${D}(st|nd|rd|th) of ${word}, ${Y4}$`), (m) => ordinalDate(m)],
    ["us-numeric", new RegExp(`^${D}/ ${D}/ ${Y4}$`), (m) => numeric(m[3], m[1], m[2])],
    ["us-short", new RegExp(`^${D}/ ${D}/ ${DD}$`), (m) => numeric(m[3], m[1], m[2], true)],
    ["iso", new RegExp(`^${Y4}- ${DD}- ${DD}$`), (m) => numeric(m[1], m[2], m[3])]
  ];
  for (const [format, re, read] of patterns) {
    const m = re.exec(s + " ");
    const fields = m && read(m);
    if (fields) return {format, ...fields};
  }
  return null;
}

const int = (digits: string) => Number(digits.replace(/ /g, ""));

function wordDate(m: string[], weekdays: Map<string, number>, months: Map<string, number>) {
  const weekday = weekdays.get(m[1]);
  const month = months.get(m[2]);
  return weekday == null || month == null ? null : {weekday, month, day: int(m[3]), year: int(m[4])};
}

function monthDate(m: string[], months: Map<string, number>) {
  const month = months.get(m[1]);
  return month == null ? null : {month, day: int(m[2]), year: int(m[3])};
}

function dayMonth(m: string[]) {
  const month = MONTHS_LONG.get(m[2]);
  return month == null ? null : {month, day: int(m[1]), year: int(m[3])};
}

function ordinalDate(m: string[]) {
  const month = MONTHS_LONG.get(m[3]);
  return month == null ? null : {month, day: int(m[1]), suffix: m[2], year: int(m[4])};
}

function numeric(year: string, month: string, day: string, twoDigitYear = false) {
  const y = int(year);
  return {year: twoDigitYear ? (y >= 50 ? 1900 + y : 2000 + y) : y, month: int(month), day: int(day)};
}

/**
 * The reference parser of the task's formats, on the source tokens (so it accepts exactly what the model sees:
 * case and spacing are free, except between digits). Dates are joined by "and". Says what is wrong otherwise.
 */
export function parseSourceDetailed(text: string): ParsedSource {
  const tokens = sourceTokens(text);
  if (tokens.length === 0) return {ok: false, problem: "empty", part: ""};
  const parts: string[][] = [[]];
  for (const t of tokens) {
    if (t === "and") parts.push([]);
    else parts[parts.length - 1].push(t);
  }
  const dates: CalendarDate[] = [];
  const formats: SourceFormat[] = [];
  for (const part of parts) {
    const words = part.join(" ");
    const m = part.length > 0 ? matchPart(part) : null;
    if (!m) return {ok: false, problem: "format", part: words};
    if (m.year < FIRST_YEAR || m.year > LAST_YEAR) return {ok: false, problem: "year", part: words};
    if (m.month < 1 || m.month > 12 || m.day < 1 || m.day > daysInMonth(m.year, m.month)) {
      return {ok: false, problem: "date", part: words};
    }
    const date = calendarDate(m.year, m.month, m.day);
    if (m.weekday != null && m.weekday !== date.weekday) return {ok: false, problem: "weekday", part: words};
    if (m.suffix != null && m.suffix !== ordinalSuffix(m.day)) return {ok: false, problem: "ordinal", part: words};
    dates.push(date);
    formats.push(m.format);
  }
  return {ok: true, dates, formats};
}

/** The dates of a source in the task's formats, or null if it is not one. */
export function parseSource(text: string): CalendarDate[] | null {
  const parsed = parseSourceDetailed(text);
  return parsed.ok ? parsed.dates : null;
}

/** The right Korean answer for a source in the task's formats, or null if it is not one. */
export function referenceTarget(text: string): string | null {
  const parsed = parseSourceDetailed(text);
  return parsed.ok ? koreanTarget(parsed.dates, parsed.formats) : null;
}

// ---- tensors ----------------------------------------------------------------------------------------------------

export interface EncodedPairs {
  /** int32 [N, S], LEFT-padded with PAD (the encoder's last step is the last real token). */
  source: tf.Tensor2D;
  /** int32 [N, T]: START y1 … y_n, then PAD (teacher forcing input). */
  decoderInput: tf.Tensor2D;
  /** int32 [N, T]: y1 … y_n END, then PAD. */
  target: tf.Tensor2D;
  /** Real source tokens per example. */
  sourceLengths: number[];
}

function leftPadded(ids: number[][], length: number): Int32Array {
  const out = new Int32Array(ids.length * length); // PAD = 0
  ids.forEach((row, n) => out.set(row, n * length + length - row.length));
  return out;
}

/** Token ids of a batch of examples; throws if an example does not fit the lengths. The caller disposes. */
export function encodePairs(examples: DateExample[], lengths: {source: number; target: number}): EncodedPairs {
  const S = lengths.source,
    T = lengths.target;
  const N = examples.length;
  const sources = examples.map((e) => sourceTokens(e.source).map((t) => SOURCE_VOCAB.id(t)));
  const decoderInput = new Int32Array(N * T);
  const target = new Int32Array(N * T);
  examples.forEach((e, n) => {
    if (sources[n].length > S) throw new Error(`encodePairs: ${sources[n].length} source tokens > ${S}: ${e.source}`);
    const ys = targetTokens(e.target).map((t) => TARGET_VOCAB.id(t));
    if (ys.length + 1 > T) throw new Error(`encodePairs: ${ys.length} target tokens + END > ${T}: ${e.target}`);
    decoderInput[n * T] = START;
    decoderInput.set(ys, n * T + 1);
    target.set(ys, n * T);
    target[n * T + ys.length] = END;
  });
  return {
    source: tf.tensor2d(leftPadded(sources, S), [N, S], "int32"),
    decoderInput: tf.tensor2d(decoderInput, [N, T], "int32"),
    target: tf.tensor2d(target, [N, T], "int32"),
    sourceLengths: sources.map((s) => s.length)
  };
}

/**
 * The reader's own inputs as source ids [N, S] (left-padded). Tokens outside the vocabulary become UNK and are
 * listed in `unknown`; inputs longer than S keep their first S tokens and are flagged in `truncated`.
 */
export function encodeSource(
  texts: string[],
  sourceLength: number
): {source: tf.Tensor2D; lengths: number[]; unknown: string[][]; truncated: boolean[]} {
  const tokens = texts.map((t) => sourceTokens(t));
  const kept = tokens.map((ts) => ts.slice(0, sourceLength));
  const ids = kept.map((ts) => ts.map((t) => SOURCE_VOCAB.id(t)));
  return {
    source: tf.tensor2d(leftPadded(ids, sourceLength), [texts.length, sourceLength], "int32"),
    lengths: kept.map((ts) => ts.length),
    unknown: tokens.map((ts) => [...new Set(ts.filter((t) => SOURCE_VOCAB.id(t) === UNK))]),
    truncated: tokens.map((ts) => ts.length > sourceLength)
  };
}

// ---- the task ---------------------------------------------------------------------------------------------------

export interface DateTask {
  train: DateExample[];
  test: DateExample[];
  /** Longest source, in tokens, over both sets. */
  sourceLength: number;
  /** Longest target over both sets, in tokens, + 1 for END. */
  targetLength: number;
}

/** Training and held-out test examples: no test source string occurs in train. */
export function dateTask(opts: {train: number; test: number; seed?: number; maxDates?: number}): DateTask {
  const {seed = 1, maxDates = 3} = opts;
  const train = dateExamples({count: opts.train, seed, maxDates});
  const seen = new Set(train.map((e) => e.source));
  const test: DateExample[] = [];
  for (let round = 1; test.length < opts.test; round++) {
    if (round > 100) throw new Error("dateTask: could not find enough held-out examples");
    const batch = dateExamples({count: opts.test, seed: seed + 7919 * round, maxDates});
    for (const e of batch) {
      if (test.length === opts.test) break;
      if (!seen.has(e.source)) test.push(e);
    }
  }
  const all = [...train, ...test];
  return {
    train,
    test,
    sourceLength: all.reduce((m, e) => Math.max(m, sourceTokens(e.source).length), 0),
    targetLength: all.reduce((m, e) => Math.max(m, targetTokens(e.target).length), 0) + 1
  };
}
