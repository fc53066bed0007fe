/**
 * Korean particles after computed words and numbers: "7은", "4는", "ResNet-50을", "VGG-19를". The particle depends on
 * whether the word, as read aloud, ends in a final consonant (받침). Numbers are read in Sino-Korean (일, 이, 삼…; 십,
 * 백, 천, 만 after a zero); a Latin word by its last letter as usually read in Korean (…Net 넷, …ing 잉).
 */

export type ParticlePair = "은/는" | "이/가" | "을/를" | "과/와" | "으로/로";

// Sino-Korean readings of the last digit: 0 (십, 백, 천, 만: all end in a consonant), 1 일, 2 이, 3 삼, 4 사, 5 오, 6 육, 7 칠, 8 팔, 9 구
const DIGIT_FINAL = [true, true, false, true, false, false, true, true, true, false];
/** ㄹ-final readings, for 으로/로 (로 after ㄹ): 1 일, 7 칠, 8 팔. */
const DIGIT_RIEUL = [false, true, false, false, false, false, false, true, true, false];

/** Whether `word` ends in a final consonant when read; and whether that consonant is ㄹ. */
export function finalSound(word: string): {consonant: boolean; rieul: boolean} | undefined {
  const w = word.trim().replace(/[)\]}'"”’.\s]+$/, "");
  const last = w.at(-1);
  if (!last) return undefined;
  const code = last.charCodeAt(0);
  if (code >= 0xac00 && code <= 0xd7a3) {
    const jong = (code - 0xac00) % 28;
    return {consonant: jong !== 0, rieul: jong === 8};
  }
  if (/\d/.test(last)) {
    // a decimal is read digit by digit after the point; an integer's last digit, or its unit after zeros
    const d = Number(last);
    return {consonant: DIGIT_FINAL[d], rieul: DIGIT_RIEUL[d]};
  }
  if (/[a-z]/i.test(last)) {
    const l = last.toLowerCase();
    // letters read with a final consonant at the end of an English word: …m 엠/음, …n 은/넷, …l 엘/을, …t 트? (…Net 넷)
    if ("lr".includes(l)) return {consonant: l === "l", rieul: l === "l"};
    return {consonant: "bcdgkmnpt".includes(l), rieul: false};
  }
  return undefined;
}

/** `word` followed by the right particle of `pair` ("은/는" → "7은", "4는"); both forms when unknown. */
export function withParticle(word: string, pair: ParticlePair): string {
  const [afterConsonant, afterVowel] = pair.split("/");
  const sound = finalSound(word);
  if (!sound) return `${word}${afterConsonant}(${afterVowel})`;
  if (pair === "으로/로") return `${word}${sound.consonant && !sound.rieul ? "으로" : "로"}`;
  return `${word}${sound.consonant ? afterConsonant : afterVowel}`;
}
