import type { Model } from 'mongoose'

type AnyModel = Model<any> // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * An earning that waits (frozen) before it is paid out: an order's pending points, a leader's
 * frozen commission. A refund by the line takes part of it back while it waits; its release pays
 * out what is left. The document records each take-back under its key (`takeBacks`) and their sum
 * (`takenBack`), changed only while `frozen` matches, so a take-back and the release never both
 * count the same points: whichever claims the document first decides, the other sees it.
 */
export interface FrozenEarningFields {
  takenBack?: number | null
  takeBacks?: Array<{ key?: string | null; amount?: number | null }> | null
}

/**
 * Takes back up to `want` of the earning `id` under `key` while it is still frozen; returns what
 * was taken (0 when it was already released or nothing is left). The same key always answers the
 * amount it took the first time, so a retry after a crash neither takes twice nor takes another sum.
 */
export async function takeBackFrozen(model: AnyModel, id: unknown, amountField: string, frozen: Record<string, unknown>, key: string, want: number): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const doc = (await model.findById(id).lean()) as (FrozenEarningFields & Record<string, unknown>) | null
    if (!doc) return 0
    const earlier = doc.takeBacks?.find((t) => t.key === key)
    if (earlier) return earlier.amount ?? 0
    const taken = doc.takenBack ?? 0
    const k = Math.min(want, (doc[amountField] as number) - taken)
    if (k <= 0) return 0
    const sameTaken = { takenBack: doc.takenBack ?? null }
    // Guarded by the sum read: a take-back under the same key that came first changed it, and the re-read finds its record.
    const done = await model.updateOne({ _id: id, ...frozen, ...sameTaken }, { $inc: { takenBack: k }, $push: { takeBacks: { key, amount: k } } })
    if (done.matchedCount === 1) return k
    // Released meanwhile, or another take-back came first: read again and decide on what is there now.
    const now = (await model.findOne({ _id: id, ...frozen }).lean()) as unknown
    if (!now) return (await model.findById(id).lean() as FrozenEarningFields | null)?.takeBacks?.find((t) => t.key === key)?.amount ?? 0
  }
  throw new Error(`takeBackFrozen: ${key} kept colliding`)
}

/** What the release of a frozen earning pays: the earning less what was taken back before it was claimed. */
export const leftToRelease = (doc: FrozenEarningFields, amount: number) => amount - (doc.takenBack ?? 0)
