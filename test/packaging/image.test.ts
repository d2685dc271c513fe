/**
 * The image side of the add-on: Dockerfile, legacy build.yaml, .dockerignore, the entrypoint,
 * icons, and the store's rule that no other config.* / build.* file may exist in the tree.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { DOCKER_IMAGE_BUILD, ROOT, readAddonConfig, readText, readYaml } from "./supervisor";

const config = readAddonConfig();
const dockerfile = readText("Dockerfile");

/** Dockerfile instructions with line continuations joined and comments dropped. */
const instructions = dockerfile
  .replace(/\\\n/g, " ")
  .split("\n")
  .map((l) => l.trim())
  .filter((l) => l !== "" && !l.startsWith("#"));
const stages = (() => {
  const out: string[][] = [];
  for (const line of instructions) {
    if (/^FROM\s/i.test(line)) out.push([line]);
    else out.at(-1)?.push(line);
  }
  return out;
})();
const runtime = stages.at(-1) ?? [];

describe("Dockerfile", () => {
  it("has BUILD_FROM with a default before the first FROM, and every stage builds on it", () => {
    const firstFrom = instructions.findIndex((l) => /^FROM\s/i.test(l));
    const arg = instructions.slice(0, firstFrom).find((l) => /^ARG\s+BUILD_FROM=/.test(l));
    expect(arg).toBeDefined();
    const base = arg?.split("=")[1] ?? "";
    expect(base).toMatch(DOCKER_IMAGE_BUILD);
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage[0]).toMatch(/^FROM \$\{BUILD_FROM\}( AS \w+)?$/);
  });

  it("compiles better-sqlite3 from source in the build stage and ships no toolchain", () => {
    const build = (stages[0] ?? []).join("\n");
    expect(build).toMatch(/apk add --no-cache nodejs npm python3 make g\+\+ linux-headers/);
    expect(build).toMatch(/npm ci\b/);
    expect(build).toMatch(/npm rebuild better-sqlite3 --build-from-source/);
    expect(build).toMatch(/npm run build/);
    expect(build).toMatch(/npm prune --omit=dev/);
    const rt = runtime.join("\n");
    expect(rt).toMatch(/apk add --no-cache nodejs icu-data-full$/m);
    expect(rt).not.toMatch(/g\+\+|python3|npm ci/);
    for (const path of ["dist", "node_modules", "package.json", "addon"])
      expect(rt).toContain(`/app/${path}`);
    expect(rt).toMatch(/GRILL_STATS_DATA_DIR=\/data/);
    // Inside a container loopback is unreachable from outside: it listens on its interface.
    expect(rt).toMatch(/GRILL_STATS_HOST=0\.0\.0\.0/);
  });

  it("replaces the s6 entrypoint, consistent with init: true", () => {
    expect(config.init).toBe(true);
    const entry = runtime.filter((l) => /^ENTRYPOINT\s/.test(l));
    expect(entry).toHaveLength(1);
    const argv = z
      .array(z.string())
      .parse(JSON.parse((entry[0] ?? "").replace(/^ENTRYPOINT\s+/, "")));
    expect(argv).not.toContain("/init");
    expect(argv).toEqual(["/bin/sh", "/app/addon/run.sh"]);
    // run.sh ends by exec'ing node on the bundled service so node gets SIGTERM directly.
    const runSh = readText("addon/run.sh");
    expect(runSh.trim().split("\n").at(-1)).toBe('exec node /app/dist/main.js "$@"');
    execFileSync("sh", ["-n", join(ROOT, "addon/run.sh")]);
    // No s6 service tree anywhere: it would need init: false.
    expect(existsSync(join(ROOT, "addon/rootfs/etc/services.d"))).toBe(false);
    expect(existsSync(join(ROOT, "addon/rootfs/etc/s6-overlay"))).toBe(false);
  });

  it("labels the image with the add-on version", () => {
    const pkgVersion = z
      .object({ version: z.string() })
      .parse(JSON.parse(readText("package.json"))).version;
    expect(dockerfile).toContain(`ARG BUILD_VERSION=${pkgVersion}`);
    expect(dockerfile).toMatch(/io\.hass\.version="\$\{BUILD_VERSION\}"/);
    expect(dockerfile).toMatch(/io\.hass\.arch="\$\{BUILD_ARCH\}"/);
  });
});

describe("build.yaml and .dockerignore", () => {
  it("names the same base image per supported arch", () => {
    const build = z
      .object({
        build_from: z.record(z.string(), z.string()),
        labels: z.record(z.string(), z.string()),
      })
      .strict()
      .parse(readYaml("build.yaml"));
    expect(Object.keys(build.build_from).sort()).toEqual([...config.arch].sort());
    const argDefault = /ARG BUILD_FROM=(\S+)/.exec(dockerfile)?.[1];
    for (const image of Object.values(build.build_from)) {
      expect(image).toMatch(DOCKER_IMAGE_BUILD);
      expect(image).toBe(argDefault);
    }
  });

  it("keeps local state and build output out of the build context", () => {
    const ignored = readText(".dockerignore")
      .split("\n")
      .map((l) => l.trim());
    for (const entry of ["node_modules", "dist", "data", "test-artifacts", ".git"])
      expect(ignored).toContain(entry);
    // ...but not what the image build needs.
    for (const needed of [
      "src",
      "scripts",
      "addon",
      "custom_card",
      "package.json",
      "package-lock.json",
      "tsconfig.json",
    ]) {
      expect(ignored).not.toContain(needed);
    }
  });
});

describe("repository tree", () => {
  const SKIP = new Set(["node_modules", "dist", ".git", "test-artifacts", "coverage"]);
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      SKIP.has(e.name)
        ? []
        : e.isDirectory()
          ? walk(join(dir, e.name))
          : [relative(ROOT, join(dir, e.name))],
    );

  /** Tracked files (the store sees the clone); an export without .git is covered by the walk. */
  const gitTrackedFiles = (): string[] => {
    if (!existsSync(join(ROOT, ".git"))) return [];
    return execFileSync("git", ["ls-files"], { cwd: ROOT, encoding: "utf8" })
      .split("\n")
      .filter(Boolean);
  };

  it("has no config.* or build.* (yaml/yml/json) besides the root add-on files", () => {
    const tracked = gitTrackedFiles();
    const files = new Set([...tracked, ...walk(ROOT)]);
    const addonLike = [...files].filter((f) =>
      /(^|\/)(config|build|repository)\.(ya?ml|json)$/.test(f),
    );
    expect(addonLike.sort()).toEqual(["build.yaml", "config.yaml", "repository.yaml"]);
  });

  it("ships icon.png and logo.png at the store's sizes", () => {
    const pngSize = (rel: string): { width: number; height: number } => {
      const buf = readFileSync(join(ROOT, rel));
      expect(buf.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
      expect(buf.subarray(12, 16).toString("ascii")).toBe("IHDR");
      return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
    };
    expect(pngSize("icon.png")).toEqual({ width: 128, height: 128 });
    expect(pngSize("logo.png")).toEqual({ width: 250, height: 100 });
  });

  it("has a changelog entry for the current version", () => {
    expect(readText("CHANGELOG.md")).toMatch(
      new RegExp(`^## \\[${config.version.replace(/\./g, "\\.")}\\]`, "m"),
    );
  });
});
