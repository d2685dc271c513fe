/**
 * Characters text may hold but a screen should not get: C0/C1 controls (line breaks, escape
 * sequences) and the bidirectional overrides and isolates that show text in another order than
 * it is stored. `UNSHOWN_KEEPING_LINES` spares tabs and line breaks (a note of several lines).
 */
// Matching control characters is the point of these two.
// eslint-disable-next-line no-control-regex
export const UNSHOWN = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu;
// eslint-disable-next-line no-control-regex
export const UNSHOWN_KEEPING_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu;
