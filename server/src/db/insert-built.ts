import { Types, type Model } from 'mongoose'

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
