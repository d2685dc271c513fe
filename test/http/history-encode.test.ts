import { describe, expect, it } from "vitest";
import { encodeHistoryJson, type HistoryFormat } from "../../src/http/routes/history";
import { seededRandom, type HistoryPoint } from "../../src/shared";
import { PointColumns } from "../../src/store/columns";

/** Deterministic, so a failure reproduces. */
const prng = seededRandom;

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

/** The encoder over the store's column type, as the route calls it. */
const encode = (
  ids: readonly string[],
  probes: Map<string, HistoryPoint[]>,
  from: number,
  to: number,
  points: number,
  format: HistoryFormat = "pairs",
): string =>
  encodeHistoryJson(ids, new Map([...probes].map(([id, p]) => [id, PointColumns.fromPoints(p)])), from, to, points, format).toString("utf8");

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

/** What a client does with a `format=columns` answer: sum the deltas from `from`. */
const decodeColumns = (body: string): { probes: Record<string, HistoryPoint[]>; from: number; to: number; points: number; format: string } => {
  const parsed = JSON.parse(body) as { probes: Record<string, { dt: number[]; tempC: Array<number | null> }>; from: number; to: number; points: number; format: string };
  const probes: Record<string, HistoryPoint[]> = {};
  for (const [id, { dt, tempC }] of Object.entries(parsed.probes)) {
    expect(dt.length).toBe(tempC.length);
    let t = parsed.from;
    probes[id] = dt.map((d, i) => [(t += d), tempC[i] ?? null]);
  }
  return { ...parsed, probes };
};

describe("encodeHistoryJson, format columns", () => {
  const encodeColumns = (ids: readonly string[], probes: Map<string, HistoryPoint[]>, from: number, to: number, points: number): string =>
    encode(ids, probes, from, to, points, "columns");

  it("decodes to exactly the points of the pairs answer, times before `from` and repeated times included", () => {
    const random = prng(11);
    for (let round = 0; round < 100; round++) {
      const ids = Array.from({ length: 1 + Math.floor(random() * 5) }, (_, i) => `p${i}_${Math.floor(random() * 1e4)}`);
      const from = 1_700_000_000_000 + Math.floor(random() * 1e9);
      const probes = new Map<string, HistoryPoint[]>();
      for (const id of ids) {
        if (random() < 0.1) continue;
        let ts = from + Math.floor((random() - 0.2) * 600_000); // may start before `from`
        const list: HistoryPoint[] = [];
        for (let i = Math.floor(random() * 400); i > 0; i--) {
          ts += Math.floor(random() * 3) === 0 ? 0 : 1 + Math.floor(random() * 90_000);
          const r = random();
          list.push([ts, r < 0.1 ? null : r < 0.6 ? Math.round((random() * 300 - 20) * 10) / 10 : Math.round(random() * 3e5) / 1e3]);
        }
        probes.set(id, list);
      }
      const to = from + 1 + Math.floor(random() * 1e8);
      const body = encodeColumns(ids, probes, from, to, 1500);
      const decoded = decodeColumns(body);
      expect(decoded).toEqual({ ...(JSON.parse(reference(ids, probes, from, to, 1500)) as object), format: "columns" });
    }
  });

  it("writes the layout documented for clients", () => {
    const probes = new Map<string, HistoryPoint[]>([["a", [[1_005_000, 98.5], [1_010_000, null], [1_019_200, -3.25]]]]);
    expect(encodeColumns(["a", "b"], probes, 1_000_000, 2_000_000, 10)).toBe(
      '{"probes":{"a":{"dt":[5000,5000,9200],"tempC":[98.5,null,-3.25]},"b":{"dt":[],"tempC":[]}},"from":1000000,"to":2000000,"points":10,"format":"columns"}',
    );
  });

  it("is about half the bytes of the pairs answer for a 5 s probe", () => {
    const pts: HistoryPoint[] = Array.from({ length: 1500 }, (_, i) => [1_795_698_954_965 + i * 5000, Math.round((60 + i / 50) * 10) / 10]);
    const probes = new Map([["p", pts]]);
    const pairs = encode(["p"], probes, pts[0]![0], pts.at(-1)![0], 1500).length;
    const columns = encodeColumns(["p"], probes, pts[0]![0], pts.at(-1)![0], 1500).length;
    expect(columns / pairs).toBeLessThan(0.55);
  });
});
