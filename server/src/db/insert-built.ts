import { Types, type Model } from 'mongoose'
import { duplicateKeyPositions } from './errors'

/**
 * Inserts a document the code built whole (every field set and typed, nothing taken from a
 * request as it came) straight through the driver. `Model.create` first hydrates, casts and
 * validates a Mongoose document: on a check-in, which inserts two, that was a quarter of the
 * server's time. Under the test runner each document is still checked against its schema (its
 * rules, and a value of the path's own type, since nothing casts it here), so a schema and the
 * code that builds its documents cannot drift apart unseen.
 */
export async function insertBuilt<T>(model: Model<T>, doc: T): Promise<T> {
  if (CHECK) checkAgainstSchema(model, doc)
  await model.collection.insertOne(doc as never)
  return doc
}

/**
 * Inserts documents built whole (as `insertBuilt`) in one unordered command: each goes in or
 * fails alone. Returns the positions of those a unique index refused; any other failure throws.
 */
export async function insertBuiltMany<T>(model: Model<T>, docs: T[]): Promise<Set<number>> {
  if (docs.length === 0) return new Set()
  if (CHECK) for (const doc of docs) checkAgainstSchema(model, doc)
  try {
    await model.collection.insertMany(docs as never[], { ordered: false })
    return new Set()
  } catch (err) {
    const refused = duplicateKeyPositions(err)
    if (!refused) throw err
    return refused
  }
}

const CHECK = process.env.JEST_WORKER_ID !== undefined

const OF_TYPE: Record<string, (v: unknown) => boolean> = {
  ObjectId: (v) => v instanceof Types.ObjectId,
  Date: (v) => v instanceof Date,
  Number: (v) => typeof v === 'number',
  String: (v) => typeof v === 'string',
  Boolean: (v) => typeof v === 'boolean',
}

function checkAgainstSchema<T>(model: Model<T>, doc: T): void {
  const invalid = new model(doc).validateSync()
  if (invalid) throw invalid
  for (const [name, path] of Object.entries(model.schema.paths)) {
    const value = (doc as Record<string, unknown>)[name]
    if (value === null || value === undefined) continue
    if (!(OF_TYPE[path.instance]?.(value) ?? true)) throw new Error(`${model.modelName}.${name} is not a ${path.instance}: ${String(value)}`)
  }
}
