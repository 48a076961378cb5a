/**
 * Statements per `update` command. FerretDB 1.24 keeps the result set of each matched statement
 * (and the SQLite connection under it) open until the whole command ends, and writes on another
 * connection: at about 100 matched statements in one command its pool of 100 connections runs
 * dry, the command waits forever, and every later query on that database waits behind it (found
 * folding the benchmark's history: 150 upserts of existing profiles froze the server).
 */
export const UPDATES_PER_COMMAND = 50

/** Unordered updates (upserts included), sent at most `UPDATES_PER_COMMAND` to a command; returns how many documents they changed or inserted. */
type BulkWriter<Op> = { bulkWrite(ops: Op[], options: { ordered: boolean }): Promise<{ modifiedCount?: number; upsertedCount?: number }> }

export async function bulkUpdate<Op>(model: BulkWriter<Op>, ops: Op[]): Promise<number> {
  let changed = 0
  for (let i = 0; i < ops.length; i += UPDATES_PER_COMMAND) {
    const result = await model.bulkWrite(ops.slice(i, i + UPDATES_PER_COMMAND), { ordered: false })
    changed += (result.modifiedCount ?? 0) + (result.upsertedCount ?? 0)
  }
  return changed
}
