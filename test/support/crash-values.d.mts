/** Number of distinct keys the crash writer cycles over. */
export const CRASH_KEY_SLOTS: number;
/** The key write n goes to. */
export function crashKey(n: number): string;
/** The exact value of write n. */
export function crashValue(n: number): Buffer;
/** The n a stored value claims to come from, or undefined. */
export function crashIndex(value: Buffer): number | undefined;
