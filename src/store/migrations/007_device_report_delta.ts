/**
 * 007 — a device's reporting step: devices that upload when a reading moved (an RFX Meat
 * probe's `temperatureDeltaTrigger`, in °C), null for devices that upload on a clock. A device
 * stored before is taken to be on a clock until the next poll says otherwise.
 */
export const sql = "ALTER TABLE devices ADD COLUMN report_delta_c REAL;";
