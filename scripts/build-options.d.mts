import type { BuildOptions } from "esbuild";
export declare const browserBundleOptions: (version: string) => BuildOptions;
