/**
 * What one reading of Fabric logs takes in, each bound with its reason (the README's Limits
 * table states them). Files are read as streams, so memory holds what the reading keeps (sends,
 * receipts, state changes), never a whole file.
 */

/** One file, after gunzip: a day of one busy peer's gossip debug log is a few hundred MiB. */
export const MAX_LOG_BYTES = 1 << 30;

/** One line, in bytes: Fabric's longest gossip lines are a few KiB; past this a line is cut and counted unparsed. */
export const MAX_LINE_BYTES = 1 << 20;

/** Lines over all files of one reading: what is kept of them is about 1 KiB a message. */
export const MAX_LOG_LINES = 5_000_000;

/** Unparsed lines kept as examples (the count is always exact), and how much of each. */
export const UNPARSED_SAMPLE = 100;
export const SAMPLE_CHARS = 300;
