/**
 * Readings for search (issue 11): a name's sound as folded romaji, so that `sato`, `satou`,
 * `さとう` and `サトウ` all meet. Kana ↔ romaji is wanakana's (a maintained library, Hepburn);
 * only the folding of long vowels below is ours.
 *
 * Where readings come from: what the PBX gives — login names (`user.name`) are often romaji,
 * labels and CRM names may be kana. Kanji have no reading here (no dictionary): `佐藤` is found by
 * its kanji, or by a kana/romaji reading the PBX sends alongside it.
 */
import { toRomaji } from 'wanakana';

/** Hiragana U+3041–3096, katakana U+30A1–30FA and the long-vowel mark U+30FC. */
const KANA = /[\u3041-\u3096\u30a1-\u30fa\u30fc]/;
const LATIN = /[a-z]/;
const VOWEL = 'aeiou';

/**
 * Fold long vowels as Japanese romanisations write them differently: `ou`, `oo`, `oh`, `uu`
 * and wanakana's `-` (from ー) become one vowel — but only before a consonant or at the end, so a
 * prefix typed so far stays a prefix (`ino` of `inoue`: `ou` before a vowel is kept). Apostrophes
 * (`ken'ichi`) go.
 */
export function foldRomaji(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === "'" || c === '-') continue;
    const next = s[i + 1];
    const after = s[i + 2];
    const long = (c === 'o' && (next === 'u' || next === 'o' || next === 'h')) || (c === 'u' && next === 'u');
    // `oh` + vowel is o + ha/hi… (`ohashi`: o-ha-shi keeps its h).
    if (long && (after === undefined || !VOWEL.includes(after))) {
      out += c;
      i++;
      continue;
    }
    out += c;
  }
  return out;
}

/**
 * The folded romaji reading of an already {@link searchKey}-normalised text (lower case, no spaces,
 * katakana as hiragana), or `''` when it has no kana and no Latin letters (kanji, digits only):
 * kana through wanakana's `toRomaji`, Latin kept, then {@link foldRomaji}. Kanji are left as they
 * are inside a mixed text (they only match themselves).
 */
export function readingOf(key: string): string {
  const kana = KANA.test(key);
  if (!kana && !LATIN.test(key)) return '';
  return foldRomaji(kana ? toRomaji(key) : key);
}
