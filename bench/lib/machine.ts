/** The machine the figures were measured on (they only mean something next to it). */
import { cpus, totalmem } from "node:os";

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memTotalGb: number;
  node: string;
  platform: string;
}

export const machineInfo = (): MachineInfo => ({
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model.trim() ?? "unknown",
  memTotalGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
  node: process.version,
  platform: `${process.platform}-${process.arch}`,
});
