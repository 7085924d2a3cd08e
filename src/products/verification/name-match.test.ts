import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bandOf, jaroWinkler, matchNames, prepareName } from './name-match.js';

/**
 * Name matching (issue 20 part 10): 55 name pairs with the band a reviewer would expect, the score
 * and the methods of the token pairs (first letter: Exact, Transliteration, Initial, Prefix,
 * Jaro-Winkler; then the pair's score), and fast-check properties: symmetric, blind to token
 * order and to honorifics, 100 for identical names.
 */
const PAIRS: [string, string, 'MATCH' | 'PARTIAL' | 'NO_MATCH', number, string][] = [
  ['Ravi Kumar Sharma', 'ravi kumar sharma', 'MATCH', 100, 'E100 E100 E100'],
  ['Mr. Ravi Kumar Sharma', 'Ravi Kumar Sharma', 'MATCH', 100, 'E100 E100 E100'],
  ['R K Sharma', 'Ravi Kumar Sharma', 'MATCH', 93, 'E100 I90 I90'],
  ['R.K. Sharma', 'Ravi Kumar Sharma', 'MATCH', 93, 'E100 I90 I90'],
  ['Sharma Ravi Kumar', 'Ravi Kumar Sharma', 'MATCH', 100, 'E100 E100 E100'],
  ['Ravi Sharma', 'Ravi Kumar Sharma', 'PARTIAL', 67, 'E100 E100'],
  ['Mohd Imran', 'Mohammed Imran', 'MATCH', 100, 'E100 T100'],
  ['Muhammad Imran Khan', 'Mohd. Imran Khan', 'MATCH', 100, 'E100 E100 T100'],
  ['Laxmi Narayan', 'Lakshmi Narayan', 'MATCH', 100, 'T100 E100'],
  ['Aarti Shah', 'Arti Shah', 'MATCH', 100, 'T100 E100'],
  ['Pradeep Kumar', 'Pradip Kumar', 'MATCH', 100, 'E100 T100'],
  ['Sunil Gupta', 'Suneel Gupta', 'MATCH', 100, 'E100 T100'],
  ['Phanindra Rao', 'Fanindra Rao', 'MATCH', 100, 'T100 E100'],
  ['Vishwanath Iyer', 'Viswanath Iyer', 'MATCH', 94, 'E100 J88.33'],
  ['Tijori Test Pvt Ltd', 'TIJORI TEST PRIVATE LIMITED', 'MATCH', 100, 'E100 E100'],
  ['M/s Tijori Test Pvt. Ltd.', 'Tijori Test Private Limited', 'MATCH', 100, 'E100 E100'],
  ['Zen Traders LLP', 'Zen Traders L.L.P.', 'MATCH', 100, 'E100 E100'],
  ['Zen Traders LLP', 'Zen Traders Pvt Ltd', 'PARTIAL', 75, 'E100 E100'],
  ['Zen Traders', 'Zen Traders LLP', 'MATCH', 90, 'E100 E100'],
  ['Asha Zaveri', 'Imran Inamdar', 'NO_MATCH', 0, ''],
  ['Deepa Desai', 'Deepak Desai', 'PARTIAL', 75, 'E100 P50'],
  ['Smt. Kavita Rao', 'Kavita Rao', 'MATCH', 100, 'E100 E100'],
  ['Dr Anil Mehta', 'Anil Mehta', 'MATCH', 100, 'E100 E100'],
  ['Shri Ram Prasad', 'Ram Prasad', 'MATCH', 100, 'E100 E100'],
  ['Kumari Pooja Verma', 'Pooja Verma', 'MATCH', 100, 'E100 E100'],
  ['Puja Varma', 'Pooja Verma', 'PARTIAL', 70, 'T100 J40'],
  ['Sanjay Patil', 'Sanjai Patil', 'MATCH', 100, 'E100 T100'],
  ['Sanjay Patil', 'Rahul Patil', 'NO_MATCH', 50, 'E100'],
  ['John Smith', 'Jon Smith', 'PARTIAL', 83, 'E100 J66.67'],
  ['Ananya Krishnan', 'Krishnan Ananya', 'MATCH', 100, 'E100 E100'],
  ['A Krishnan', 'Ananya Krishnan', 'MATCH', 95, 'E100 I90'],
  ['A B', 'Ananya Krishnan', 'NO_MATCH', 45, 'I90'],
  ['Rohit', 'Rohit Sharma', 'NO_MATCH', 50, 'E100'],
  ['Rohit Sharma', 'Mohit Sharma', 'NO_MATCH', 50, 'E100'],
  ['Neha Singh', 'Sneha Singh', 'NO_MATCH', 50, 'E100'],
  ['Acme Industries Ltd', 'Acme Industries Limited', 'MATCH', 100, 'E100 E100'],
  ['Acme Industries', 'Apex Industries', 'NO_MATCH', 50, 'E100'],
  ['Sri Venkateswara Traders', 'Venkateswara Traders', 'MATCH', 100, 'E100 E100'],
  ['Gurpreet Singh', 'Gurpreet Kaur', 'NO_MATCH', 50, 'E100'],
  ['Mohammed Asif', 'Mohd Aasif', 'MATCH', 100, 'T100 T100'],
  ['Syed Ali', 'Sayed Ali', 'MATCH', 85, 'E100 J70'],
  ['Karthik Subramanian', 'Karthick Subramaniam', 'MATCH', 91, 'T100 J81.82'],
  ['Abdul Rehman', 'Abdul Rahman', 'PARTIAL', 75, 'E100 J50'],
  ['Rajesh', 'Ramesh', 'NO_MATCH', 56, 'J55.56'],
  ['Priya', 'Priyanka', 'NO_MATCH', 50, 'P50'],
  ['Ms. Fatima Shaikh', 'Fatima Sheikh', 'MATCH', 100, 'E100 T100'],
  ['Suresh Babu', 'Babu Suresh', 'MATCH', 100, 'E100 E100'],
  ['V Srinivasan', 'Venkat Srinivasan', 'MATCH', 95, 'E100 I90'],
  ['Amit Kumar', 'Sumit Kumar', 'NO_MATCH', 50, 'E100'],
  ['Tata Consultancy Services Limited', 'Tata Consultancy Services Ltd', 'MATCH', 100, 'E100 E100 E100'],
  ['Reliance Retail Ltd', 'Reliance Retail Pvt Ltd', 'PARTIAL', 75, 'E100 E100'],
  ['Jagdish Chandra', 'Jagdish Chander', 'MATCH', 86, 'E100 J71.43'],
  ['Xavier Dsouza', "Xavier D'Souza", 'MATCH', 100, 'E100 E100'],
  ['Om Prakash', 'Omprakash', 'NO_MATCH', 25, 'P50'],
  ['Venkata Ramana Reddy', 'Reddy Venkata Ramana', 'MATCH', 100, 'E100 E100 E100'],
];

describe('name matching', () => {
  it.each(PAIRS)('%s ~ %s: %s (%i)', (a, b, band, score, methods) => {
    const r = matchNames(a, b);
    expect(r.band).toBe(band);
    expect(r.score).toBe(score);
    expect(r.breakdown.pairs.map((p) => p.method[0]! + p.score).join(' ')).toBe(methods);
    expect(matchNames(b, a).score).toBe(score);
  });

  it('has at least 50 pairs covering every band', () => {
    expect(PAIRS.length).toBeGreaterThanOrEqual(50);
    expect(new Set(PAIRS.map((p) => p[2]))).toEqual(new Set(['MATCH', 'PARTIAL', 'NO_MATCH']));
  });

  it('records each step in the breakdown', () => {
    const r = matchNames('M/s. Zen Traders L.L.P.', 'Mr Mohd Zen Trader');
    expect(r.breakdown.nameA).toEqual({
      input: 'M/s. Zen Traders L.L.P.',
      normalised: 'MS ZEN TRADERS L L P',
      honorificsRemoved: ['MS'],
      legalSuffix: 'LLP',
      tokens: ['ZEN', 'TRADERS'],
      folded: ['ZEN', 'TRADERS'],
    });
    expect(r.breakdown.nameB).toMatchObject({
      honorificsRemoved: ['MR'],
      legalSuffix: null,
      tokens: ['MOHD', 'ZEN', 'TRADER'],
      folded: ['MOHAMMAD', 'ZEN', 'TRADER'],
    });
    expect(r.breakdown.pairs).toEqual([
      { a: 'ZEN', b: 'ZEN', method: 'EXACT', score: 100 },
      { a: 'TRADERS', b: 'TRADER', method: 'PREFIX', score: 50 },
    ]);
    expect(r.breakdown).toMatchObject({ unpairedA: [], unpairedB: ['MOHD'], legalSuffix: 'ONE_SIDED', suffixFactor: 0.9 });
    // (1 + 0.5) / 3 tokens × 0.9
    expect(r.score).toBe(45);
  });

  it('applies per-company thresholds', () => {
    expect(matchNames('Ravi Sharma', 'Ravi Kumar Sharma', { match: 60, partial: 40 }).band).toBe('MATCH');
    expect(bandOf(84)).toBe('PARTIAL');
    expect(bandOf(85)).toBe('MATCH');
    expect(bandOf(59)).toBe('NO_MATCH');
  });

  it('scores a name with nothing left after honorifics as 0', () => {
    expect(prepareName('Mr. Dr.').tokens).toEqual([]);
    expect(matchNames('Mr', 'Ravi').score).toBe(0);
  });

  it('computes Jaro-Winkler as published (MARTHA/MARHTA 0.961, DWAYNE/DUANE 0.84)', () => {
    expect(jaroWinkler('MARTHA', 'MARHTA')).toBeCloseTo(0.9611, 3);
    expect(jaroWinkler('DWAYNE', 'DUANE')).toBeCloseTo(0.84, 3);
    expect(jaroWinkler('ABC', 'XYZ')).toBe(0);
  });
});

const WORDS = [
  'RAVI',
  'KUMAR',
  'SHARMA',
  'ASHA',
  'ZAVERI',
  'MOHD',
  'IMRAN',
  'LAXMI',
  'PRADEEP',
  'SUNEEL',
  'R',
  'K',
  'ANANYA',
  'PHOOL',
  'WASIM',
  'DEEPA',
  'DEEPAK',
];
const token = fc.oneof(fc.constantFrom(...WORDS), fc.stringMatching(/^[A-Za-z]{1,9}$/));
const name = fc
  .array(token, { minLength: 1, maxLength: 5 })
  // A generated token that is itself an honorific or a legal form would be dropped: not a name token.
  .filter((ts) => prepareName(ts.join(' ')).tokens.length === ts.length);
const honorific = fc.constantFrom('Mr', 'Mrs.', 'Ms', 'Dr.', 'Shri', 'Smt', 'Sri', 'Kumari', 'M/s');

describe('name matching properties', () => {
  it('is symmetric', () => {
    fc.assert(fc.property(name, name, (a, b) => matchNames(a.join(' '), b.join(' ')).score === matchNames(b.join(' '), a.join(' ')).score));
  });

  it('ignores the order of tokens', () => {
    fc.assert(
      fc.property(name, name, fc.infiniteStream(fc.nat()), (a, b, seeds) => {
        const shuffled = [...a].sort(() => (seeds.next().value % 3) - 1);
        return matchNames(shuffled.join(' '), b.join(' ')).score === matchNames(a.join(' '), b.join(' ')).score;
      }),
    );
  });

  it('scores identical names 100, whatever their case and spacing', () => {
    fc.assert(fc.property(name, (a) => matchNames(a.join(' '), `  ${a.join('  ').toLowerCase()} `).score === 100));
  });

  it('is blind to honorifics', () => {
    fc.assert(
      fc.property(name, name, honorific, (a, b, h) => matchNames(`${h} ${a.join(' ')}`, b.join(' ')).score === matchNames(a.join(' '), b.join(' ')).score),
    );
  });
});
