import type { Model, ProjectionType } from 'mongoose'

/**
 * `_id`s per read. The embedded database answers an `_id: { $in }` of up to this many from its
 * primary key (our patch, `ferretdb-install.ts`) and would scan the collection for more; MongoDB
 * answers any size from the `_id` index, where reads of 1,000 cost it nothing either.
 */
export const IDS_PER_READ = 1000

/**
 * The documents of `ids` that exist (each id once, in no particular order), in reads of at most
 * {@link IDS_PER_READ} ids: one command for a page or a batch, never one per document, and never
 * a scan of the collection. Ids are cast by the model's schema, so strings and ObjectIds both do.
 */
export async function readByIds<T>(model: Model<any>, ids: Iterable<unknown>, projection?: ProjectionType<unknown>): Promise<T[]> {
  const unique = [...new Map([...ids].map((id) => [String(id), id])).values()]
  const found: T[] = []
  for (let i = 0; i < unique.length; i += IDS_PER_READ) found.push(...(await model.find({ _id: { $in: unique.slice(i, i + IDS_PER_READ) } }, projection).lean<T[]>()))
  return found
}
