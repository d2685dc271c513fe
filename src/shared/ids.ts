/** Lower-case alphanumeric key of a device serial: "10:06:1C:6F:47:70" → "10061c6f4770". */
export const toDeviceKey = (serial: string): string => serial.toLowerCase().replace(/[^a-z0-9]/g, "");

/** Probe id from serial and channel: stable across label changes. */
export const toProbeId = (serial: string, channel: string): string => `${toDeviceKey(serial)}_${channel.replace(/[^A-Za-z0-9]/g, "")}`;
