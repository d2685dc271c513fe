import { spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createMemoryLogger } from "../../src/shared";
import { createDemoCloud, createThermoworksClient } from "../../src/thermoworks";

const ROOT = join(import.meta.dirname, "..", "..");

describe("demo mode", () => {
  it("starts with the pit hot and the meat rising, with timestamps on the wall clock", async () => {
    const { simulator, clientConfig } = await createDemoCloud({ speed: 60 });
    try {
      const client = createThermoworksClient({ config: clientConfig, logger: createMemoryLogger() });
      const first = await client.fetchSnapshot();
      const pit = first.readings.find((r) => first.probes.find((p) => p.id === r.probeId)?.label === "Pit");
      expect(pit?.tempC).toBeGreaterThan(90);
      const meats = first.probes.filter((p) => p.role === "meat").map((p) => first.readings.find((r) => r.probeId === p.id)?.tempC ?? 0);
      expect(meats.length).toBeGreaterThanOrEqual(3);
      expect(Math.min(...meats.filter((t) => t !== null))).toBeGreaterThan(8); // out of the fridge a while ago
      for (const r of first.readings) expect(Math.abs(r.tsMs - Date.now())).toBeLessThan(120_000);
      const simBefore = simulator.simSeconds();
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(simulator.simSeconds()).toBeGreaterThan(simBefore); // 300 ms at 60× ≈ 18 simulated seconds
    } finally {
      await simulator.stop();
    }
  });
});

describe("simulator CLI", () => {
  it("prints its URL and demo login, serves the protocol, and stops cleanly on SIGTERM", async () => {
    const child = spawn(join(ROOT, "node_modules", ".bin", "tsx"), ["src/thermoworks/simulator/cli.ts", "--port", "0", "--speed", "5"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (b: Buffer) => {
        out += b.toString();
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m?.[1] && out.includes("demo login")) resolve(m[1]);
      });
      child.once("exit", (code) => reject(new Error(`exited early (${code}): ${out}`)));
    });
    expect(out).toMatch(/demo login: \S+@\S+ \/ \S+/);
    const res = await fetch(`${url}/__control/state`);
    expect(((await res.json()) as { speed: number }).speed).toBe(5);
    child.kill("SIGTERM");
    const [code] = (await once(child, "exit")) as [number | null];
    expect(code).toBe(0);
  });

  it("refuses a bad option with a message and exit code 2", async () => {
    const child = spawn(join(ROOT, "node_modules", ".bin", "tsx"), ["src/thermoworks/simulator/cli.ts", "--speed", "fast"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    child.stderr.on("data", (b: Buffer) => (err += b.toString()));
    const [code] = (await once(child, "exit")) as [number | null];
    expect(code).toBe(2);
    expect(err).toContain("--speed must be a number");
  });
});
