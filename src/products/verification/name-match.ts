/**
 * Name matching (issue 20 part 10; docs/api/verification.md "Name matching"; ADR 0041). Pure: two
 * names in, a score 0–100 with its breakdown out. Steps, each recorded in the breakdown:
 *
 * 1. normalise: upper case; `.`, `,`, `-`, `'` and other punctuation become spaces, `/` is dropped
 *    (so `M/s` reads `MS`), runs of spaces collapse;
 * 2. honorifics dropped (Mr, Mrs, Ms, Miss, Dr, Shri, Smt, Sri, Kumari, M/s);
 * 3. legal suffixes unified (Private → PVT, Limited → LTD, `L L P` → LLP) and set aside: they are
 *    compared as one unit, not as name tokens;
 * 4. transliteration folding per token (Mohd/Mohammed/Muhammad, Laxmi/Lakshmi, then ph→f, w→v,
 *    aa→a, ee→i, oo→u, ck→k, ei→ai, a final ay→ai);
 * 5. tokens paired in any order, best pair first: equal (1), equal once folded (1), an initial to
 *    a word starting with it (0.9); for tokens with the same first letter, one the beginning of
 *    the other (0.5), else Jaro-Winkler of the folded tokens, 0.8–1 mapped to 0–1 (below 0.8: no pair);
 * 6. score = sum of pair scores / the larger token count × 100, times 0.9 when only one side has
 *    a legal suffix and 0.75 when both have different ones; rounded.
 *
 * Every step depends on one name at a time, and pairing breaks ties on the tokens' text: the score
 * is symmetric and blind to token order (name-match.test.ts proves both with fast-check).
 */

export type NameMatchBand = 'MATCH' | 'PARTIAL' | 'NO_MATCH';
export type PairMethod = 'EXACT' | 'TRANSLITERATION' | 'INITIAL' | 'PREFIX' | 'JARO_WINKLER';

export interface NameThresholds {
  /** At or above: MATCH. */
  match: number;
  /** At or above (and below `match`): PARTIAL. */
  partial: number;
}

export const DEFAULT_THRESHOLDS: NameThresholds = { match: 85, partial: 60 };

export interface PreparedName {
  input: string;
  normalised: string;
  honorificsRemoved: string[];
  legalSuffix: string | null;
  tokens: string[];
  folded: string[];
}

export interface TokenPair {
  a: string;
  b: string;
  method: PairMethod;
  /** 0–100, two decimals. */
  score: number;
}

export interface NameMatchResult {
  score: number;
  band: NameMatchBand;
  breakdown: {
    nameA: PreparedName;
    nameB: PreparedName;
    pairs: TokenPair[];
    unpairedA: string[];
    unpairedB: string[];
    legalSuffix: 'NONE' | 'SAME' | 'ONE_SIDED' | 'DIFFERENT';
    suffixFactor: number;
  };
}

const HONORIFICS = new Set(['MR', 'MRS', 'MS', 'MISS', 'DR', 'SHRI', 'SMT', 'SRI', 'KUMARI']);
/** Multi-token legal forms first; each maps to its unified form. */
const LEGAL_SUFFIXES: [string[], string][] = [
  [['PRIVATE', 'LIMITED'], 'PVT LTD'],
  [['PRIVATE', 'LTD'], 'PVT LTD'],
  [['PVT', 'LIMITED'], 'PVT LTD'],
  [['PVT', 'LTD'], 'PVT LTD'],
  [['P', 'LTD'], 'PVT LTD'],
  [['L', 'L', 'P'], 'LLP'],
  [['LLP'], 'LLP'],
  [['LIMITED'], 'LTD'],
  [['LTD'], 'LTD'],
];
const WORD_VARIANTS: Record<string, string> = {
  MOHD: 'MOHAMMAD',
  MD: 'MOHAMMAD',
  MOHAMMED: 'MOHAMMAD',
  MOHAMED: 'MOHAMMAD',
  MUHAMMAD: 'MOHAMMAD',
  MUHAMMED: 'MOHAMMAD',
  MOHAMMAD: 'MOHAMMAD',
  LAXMI: 'LAKSHMI',
  LUXMI: 'LAKSHMI',
};
const LETTER_RULES: [RegExp, string][] = [
  [/PH/g, 'F'],
  [/W/g, 'V'],
  [/AA/g, 'A'],
  [/EE/g, 'I'],
  [/OO/g, 'U'],
  [/CK/g, 'K'],
  [/EI/g, 'AI'],
  [/AY$/, 'AI'],
];

export function normaliseName(input: string): string {
  return input
    .toUpperCase()
    .replace(/[/'\u2019]/g, '')
    .replace(/[^A-Z0-9]+/g, ' ')
    .trim();
}

export function foldToken(token: string): string {
  const word = WORD_VARIANTS[token] ?? token;
  return LETTER_RULES.reduce((t, [re, to]) => t.replace(re, to), word);
}

/** Steps 1–4 on one name. */
export function prepareName(input: string): PreparedName {
  const normalised = normaliseName(input);
  const all = normalised === '' ? [] : normalised.split(' ');
  const honorificsRemoved = all.filter((t) => HONORIFICS.has(t));
  let tokens = all.filter((t) => !HONORIFICS.has(t));
  let legalSuffix: string | null = null;
  for (const [form, unified] of LEGAL_SUFFIXES) {
    const tail = tokens.slice(tokens.length - form.length);
    if (tokens.length > form.length && tail.join(' ') === form.join(' ')) {
      legalSuffix = unified;
      tokens = tokens.slice(0, tokens.length - form.length);
      break;
    }
  }
  return { input, normalised, honorificsRemoved, legalSuffix, tokens, folded: tokens.map(foldToken) };
}

/** Jaro-Winkler similarity, 0–1 (prefix scale 0.1, up to 4 characters). */
export function jaroWinkler(s: string, t: string): number {
  if (s === t) return 1;
  if (s.length === 0 || t.length === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(s.length, t.length) / 2) - 1);
  const sMatched = new Array<boolean>(s.length).fill(false);
  const tMatched = new Array<boolean>(t.length).fill(false);
  let matches = 0;
  for (let i = 0; i < s.length; i++) {
    for (let j = Math.max(0, i - window); j < Math.min(t.length, i + window + 1); j++) {
      if (tMatched[j] || s[i] !== t[j]) continue;
      sMatched[i] = tMatched[j] = true;
      matches++;
      break;
    }
  }
  if (matches === 0) return 0;
  let k = 0;
  let transpositions = 0;
  for (let i = 0; i < s.length; i++) {
    if (!sMatched[i]) continue;
    while (!tMatched[k]) k++;
    if (s[i] !== t[k]) transpositions++;
    k++;
  }
  const jaro = (matches / s.length + matches / t.length + (matches - transpositions / 2) / matches) / 3;
  let prefix = 0;
  while (prefix < Math.min(4, s.length, t.length) && s[prefix] === t[prefix]) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

/** Below this Jaro-Winkler similarity two tokens are different names; above it the pair scores linearly from 0 to 1. */
const JW_FLOOR = 0.8;
/** One token a strict beginning of the other (Priya, Priyanka): more often two names than one. */
const PREFIX_SCORE = 0.5;

function pairScore(a: string, fa: string, b: string, fb: string): { method: PairMethod; score: number } | null {
  if (a === b) return { method: 'EXACT', score: 1 };
  if (fa === fb) return { method: 'TRANSLITERATION', score: 1 };
  if ((a.length === 1 && b.length > 1 && b.startsWith(a)) || (b.length === 1 && a.length > 1 && a.startsWith(b))) return { method: 'INITIAL', score: 0.9 };
  if (a.length === 1 || b.length === 1 || fa[0] !== fb[0]) return null;
  if (fa.startsWith(fb) || fb.startsWith(fa)) return { method: 'PREFIX', score: PREFIX_SCORE };
  const jw = jaroWinkler(fa, fb);
  return jw >= JW_FLOOR ? { method: 'JARO_WINKLER', score: (jw - JW_FLOOR) / (1 - JW_FLOOR) } : null;
}

const round2 = (n: number) => Math.round(n * 10000) / 100;

export function bandOf(score: number, thresholds: NameThresholds = DEFAULT_THRESHOLDS): NameMatchBand {
  if (score >= thresholds.match) return 'MATCH';
  return score >= thresholds.partial ? 'PARTIAL' : 'NO_MATCH';
}

/** Compares two names. Either may be empty once honorifics are dropped: the score is then 0. */
export function matchNames(nameA: string, nameB: string, thresholds: NameThresholds = DEFAULT_THRESHOLDS): NameMatchResult {
  const A = prepareName(nameA);
  const B = prepareName(nameB);
  const candidates: (TokenPair & { i: number; j: number; raw: number })[] = [];
  A.tokens.forEach((a, i) =>
    B.tokens.forEach((b, j) => {
      const s = pairScore(a, A.folded[i]!, b, B.folded[j]!);
      if (s) candidates.push({ a, b, i, j, method: s.method, raw: s.score, score: round2(s.score) });
    }),
  );
  // Best first; ties broken on the text of the pair (never on positions), so the choice is the same whichever side is A.
  const key = (p: { a: string; b: string }) => (p.a < p.b ? `${p.a}\u0000${p.b}` : `${p.b}\u0000${p.a}`);
  candidates.sort((x, y) => y.raw - x.raw || (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0));
  const usedA = new Set<number>();
  const usedB = new Set<number>();
  const pairs: (TokenPair & { raw: number })[] = [];
  for (const c of candidates) {
    if (usedA.has(c.i) || usedB.has(c.j)) continue;
    usedA.add(c.i);
    usedB.add(c.j);
    pairs.push({ a: c.a, b: c.b, method: c.method, score: c.score, raw: c.raw });
  }
  const legalSuffix =
    A.legalSuffix === null && B.legalSuffix === null
      ? 'NONE'
      : A.legalSuffix === B.legalSuffix
        ? 'SAME'
        : A.legalSuffix && B.legalSuffix
          ? 'DIFFERENT'
          : 'ONE_SIDED';
  const suffixFactor = legalSuffix === 'DIFFERENT' ? 0.75 : legalSuffix === 'ONE_SIDED' ? 0.9 : 1;
  const denominator = Math.max(A.tokens.length, B.tokens.length);
  const sum = pairs
    .map((p) => p.raw)
    .sort((x, y) => x - y)
    .reduce((s, v) => s + v, 0);
  const score = denominator === 0 ? 0 : Math.round((sum / denominator) * 100 * suffixFactor);
  return {
    score,
    band: bandOf(score, thresholds),
    breakdown: {
      nameA: A,
      nameB: B,
      pairs: pairs.map(({ raw: _raw, ...p }) => p),
      unpairedA: A.tokens.filter((_, i) => !usedA.has(i)),
      unpairedB: B.tokens.filter((_, j) => !usedB.has(j)),
      legalSuffix,
      suffixFactor,
    },
  };
}
