/** True when a write failed on a unique index: the signal that someone else got there first. */
export function isDuplicateKeyError(err: unknown): boolean {
  return (err as { code?: number } | null)?.code === 11000
}

/**
 * For an unordered bulk write that failed: the positions of its operations a unique index
 * refused, when that is all that failed; null when anything else did (then rethrow it).
 */
export function duplicateKeyPositions(err: unknown): Set<number> | null {
  const writeErrors = [(err as { writeErrors?: WriteError | WriteError[] } | null)?.writeErrors ?? []].flat()
  // A write error carries its code itself, or (as Mongoose's insertMany passes it on) in `err`.
  if (writeErrors.length === 0 || !writeErrors.every((e) => isDuplicateKeyError(e) || isDuplicateKeyError(e.err))) return null
  return new Set(writeErrors.map((e) => e.index))
}

type WriteError = { index: number; code?: number; err?: { code?: number } }
