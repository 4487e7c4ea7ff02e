import { describe, expect, it } from 'vitest';
import { foldRomaji, readingOf } from './reading.ts';

describe('foldRomaji', () => {
  it('folds long vowels before a consonant or at the end', () => {
    expect(foldRomaji('satou')).toBe('sato');
    expect(foldRomaji('satoh')).toBe('sato');
    expect(foldRomaji('oono')).toBe('ono');
    expect(foldRomaji('ohno')).toBe('ono');
    expect(foldRomaji('yuuki')).toBe('yuki');
  });
  it('keeps ou before a vowel, so a prefix typed so far stays a prefix', () => {
    expect(foldRomaji('inoue')).toBe('inoue');
    expect(foldRomaji('inou')).toBe('ino');
    expect(foldRomaji('inoue').startsWith(foldRomaji('ino'))).toBe(true);
    expect(foldRomaji('ohashi')).toBe('ohashi');
  });
  it("drops apostrophes and wanakana's long-vowel dash", () => {
    expect(foldRomaji("ken'ichi")).toBe('kenichi');
    expect(foldRomaji('sato-')).toBe('sato');
  });
});

describe('readingOf', () => {
  it('reads hiragana, long-vowel marks and romaji alike', () => {
    expect(readingOf('さとう')).toBe('sato');
    expect(readingOf('さとー')).toBe('sato');
    expect(readingOf('satou')).toBe('sato');
    expect(readingOf('sato')).toBe('sato');
    expect(readingOf('けんいち')).toBe('kenichi');
  });
  it('has no reading for kanji or digits alone', () => {
    expect(readingOf('佐藤')).toBe('');
    expect(readingOf('2001')).toBe('');
  });
  it('keeps kanji inside a mixed text', () => {
    expect(readingOf('佐藤さとう')).toBe('佐藤sato');
  });
});
