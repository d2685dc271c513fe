import { describe, expect, it } from "vitest";
import { encodeHistoryJson } from "../../src/http/routes/history";
import { seededRandom, type HistoryColumns, type HistoryPoint } from "../../src/shared";

/** Deterministic, so a failure reproduces. */
const prng = seededRandom;

const columnsOf = (points: readonly HistoryPoint[]): HistoryColumns => ({
  ts: Float64Array.from(points, (p) => p[0]),
  tempC: Float64Array.from(points, (p) => p[1] ?? Number.NaN),
  length: points.length,
});

/** What the route answered before: JSON.stringify of the nested arrays. */
const reference = (
  ids: readonly string[],
  probes: Map<string, HistoryPoint[]>,
  from: number,
  to: number,
  points: number,
): string => {
  const obj = Object.fromEntries(ids.map((id) => [id, probes.get(id) ?? []]));
  return JSON.stringify({ probes: obj, from, to, points });
};

const encode = (
  ids: readonly string[],
  probes: Map<string, HistoryPoint[]>,
  from: number,
  to: number,
  points: number,
): string =>
  encodeHistoryJson(
    ids,
    new Map([...probes].map(([id, p]) => [id, columnsOf(p)])),
    from,
    to,
    points,
  ).toString("utf8");

describe("encodeHistoryJson", () => {
  it("equals JSON.stringify of the nested arrays on random data (nulls, negatives, decimals, odd numbers)", () => {
    const random = prng(7);
    const values = [
      () => null,
      () => Math.round((random() * 420 - 20) * 10) / 10, // cloud values: one decimal, negative too
      () => Math.round(random() * 400 - 20), // whole
      () => (random() - 0.5) * 1e3, // full doubles
      () => Math.round(random() * 1e4) / 100, // two decimals
      () => -0,
      () => 0.1 + 0.2,
      () => (random() - 0.5) * 1e-9,
      () => (random() - 0.5) * 1e22,
      () => 123456789012345.6,
      () => -0.05,
    ];
    for (let round = 0; round < 200; round++) {
      const ids = Array.from(
        { length: 1 + Math.floor(random() * 6) },
        (_, i) => `dev${Math.floor(random() * 1e6)}_${i}`,
      );
      const probes = new Map<string, HistoryPoint[]>();
      for (const id of ids) {
        if (random() < 0.1) continue; // a probe without an entry answers []
        let ts = 1_700_000_000_000 + Math.floor(random() * 1e9);
        const list: HistoryPoint[] = [];
        for (let i = Math.floor(random() * 300); i > 0; i--) {
          ts += 1 + Math.floor(random() * 90_000);
          list.push([ts, values[Math.floor(random() * values.length)]!()]);
        }
        probes.set(id, list);
      }
      const to = 1_700_000_000_000 + Math.floor(random() * 2e9);
      const from = to - Math.floor(random() * 1e9) - 1;
      const points = 1 + Math.floor(random() * 5000);
      expect(encode(ids, probes, from, to, points)).toBe(reference(ids, probes, from, to, points));
    }
  });

  it("writes ids as JSON.stringify orders and escapes them: index-like keys first, quotes, unicode, __proto__", () => {
    const ids = ['b"q', "10", "__proto__", "2", "grill°\u2028", "a\\b", "01", "4294967295"];
    const probes = new Map<string, HistoryPoint[]>(
      ids.map((id, i) => [id, [[1_700_000_000_000 + i, i % 2 ? null : -1.5 * i]]]),
    );
    expect(encode(ids, probes, -5, 0, 1)).toBe(reference(ids, probes, -5, 0, 1));
  });

  it("answers an empty probe list and probes without points", () => {
    expect(encode([], new Map(), 1, 2, 3)).toBe('{"probes":{},"from":1,"to":2,"points":3}');
    expect(encode(["x"], new Map([["x", []]]), 1, 2, 3)).toBe(
      '{"probes":{"x":[]},"from":1,"to":2,"points":3}',
    );
  });

  it("grows its buffer for a large answer", () => {
    const pts: HistoryPoint[] = Array.from({ length: 40_000 }, (_, i) => [
      1_700_000_000_000 + i * 5000,
      i % 7 ? 1e-7 * i - 99.123456789 : null,
    ]);
    const probes = new Map([["big", pts]]);
    expect(encode(["big"], probes, 0, 1, 5000)).toBe(reference(["big"], probes, 0, 1, 5000));
  });
});
