/** True when a write failed on a unique index: the signal that someone else got there first. */
export function isDuplicateKeyError(err: unknown): boolean {
  return (err as { code?: number } | null)?.code === 11000
}
