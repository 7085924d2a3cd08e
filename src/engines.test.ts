import fs from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * `npm install` on the oldest Node the project declares must not warn EBADENGINE (issue 16, item
 * 14): no package in package-lock.json may declare an `engines.node` range that leaves it out.
 * The ranges of the lock are npm's usual forms (`>=20`, `^20.19.0 || >=22.12.0`, `18 || 20 || >=22`,
 * `10.* || >= 12.*`); this reads those, and refuses a form it does not know rather than guess.
 */

type Version = [number, number, number];

/** `20`, `20.19`, `20.19.0`, `12.*`, `10.x`: the missing or wildcard parts are undefined. */
function parts(text: string): (number | undefined)[] {
  const m = /^v?(\d+|[x*])(?:\.(\d+|[x*]))?(?:\.(\d+|[x*]))?$/.exec(text);
  if (!m) throw new Error(`engines range part not understood: "${text}"`);
  return [m[1], m[2], m[3]].map((p) => (p === undefined || p === 'x' || p === '*' ? undefined : Number(p)));
}

function compare(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

function comparatorHolds(version: Version, comparator: string): boolean {
  const m = /^(>=|<=|>|<|\^|~|=)?(.+)$/.exec(comparator)!;
  const op = m[1] ?? '=';
  const p = parts(m[2]!);
  const low: Version = [p[0] ?? 0, p[1] ?? 0, p[2] ?? 0];
  const known = p.findIndex((x) => x === undefined);
  const precision = known === -1 ? 3 : known;
  /** The first version past the range `X`, `X.Y` or `X.Y.Z` (a partial version is a range). */
  const pastPartial = (): Version =>
    precision === 0 ? [Infinity, 0, 0] : precision === 1 ? [low[0] + 1, 0, 0] : precision === 2 ? [low[0], low[1] + 1, 0] : [low[0], low[1], low[2] + 1];
  switch (op) {
    case '>=':
      return compare(version, low) >= 0;
    case '>':
      return compare(version, pastPartial()) >= 0;
    case '<':
      return compare(version, low) < 0;
    case '<=':
      return compare(version, pastPartial()) < 0;
    case '^': {
      const high: Version = low[0] > 0 || precision === 1 ? [low[0] + 1, 0, 0] : low[1] > 0 || precision === 2 ? [0, low[1] + 1, 0] : [0, 0, low[2] + 1];
      return compare(version, low) >= 0 && compare(version, high) < 0;
    }
    case '~':
      return compare(version, low) >= 0 && compare(version, precision === 1 ? [low[0] + 1, 0, 0] : [low[0], low[1] + 1, 0]) < 0;
    default:
      return compare(version, low) >= 0 && compare(version, pastPartial()) < 0;
  }
}

export function satisfies(version: string, range: string): boolean {
  const v = parts(version) as Version;
  return range.split('||').some((alternative) => {
    const comparators = alternative
      .trim()
      .replace(/(>=|<=|>|<|\^|~|=)\s+/g, '$1')
      .split(/\s+/)
      .filter(Boolean);
    if (comparators.includes('-')) throw new Error(`hyphen ranges are not read here: "${range}"`);
    return comparators.every((c) => comparatorHolds(v, c));
  });
}

describe('engines', () => {
  const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8')) as { engines: { node: string } };
  const lowest = /^>=(\d+\.\d+)$/.exec(pkg.engines.node)?.[1];

  it('reads the range forms of the lock as npm does', () => {
    expect(satisfies('20.19.0', '>=22')).toBe(false);
    expect(satisfies('20.19.0', '^20.19.0 || ^22.13.0 || >=24')).toBe(true);
    expect(satisfies('20.19.0', '^20.20.0 || >=22')).toBe(false);
    expect(satisfies('20.19.0', '18 || 20 || >=22')).toBe(true);
    expect(satisfies('20.19.0', '10.* || >= 12.*')).toBe(true);
    expect(satisfies('20.19.0', '^12.22.0 || ^14.17.0 || >=16.0.0')).toBe(true);
    expect(satisfies('20.19.0', '^20.12||^22||>=24')).toBe(true);
    expect(satisfies('20.19.0', '7.8.6')).toBe(false);
    expect(satisfies('20.19.0', '>=20.18.1')).toBe(true);
    expect(satisfies('20.19.0', '<20.19')).toBe(false);
    expect(satisfies('20.19.0', '~20.18.0')).toBe(false);
  });

  it(`no package in package-lock.json declares an engines.node range that excludes the declared ${pkg.engines.node}`, () => {
    expect(lowest, 'package.json engines.node is ">=MAJOR.MINOR"').toBeDefined();
    const lock = JSON.parse(fs.readFileSync('package-lock.json', 'utf8')) as {
      packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
    };
    const excluding = Object.entries(lock.packages)
      .filter(([, p]) => !Array.isArray(p.engines) && p.engines?.node !== undefined && !satisfies(`${lowest}.0`, p.engines.node))
      .map(([name, p]) => `${name.replace(/^.*node_modules\//, '')}@${p.version} wants node ${(p.engines as { node: string }).node}`);
    expect(excluding).toEqual([]);
  });
});
