import type { Model, Types } from 'mongoose'

type AnyModel = Model<any> // eslint-disable-line @typescript-eslint/no-explicit-any

/** One row of a state table: the states an event may happen in, where it leads, and what follows. */
export interface StateRow<S extends string> {
  from: readonly S[]
  to: S
  does: string
}

/**
 * A document's state table (like the order's, `flows/order-states.ts`): every change of `state`
 * is one guarded update whose filter is the event's row, so an event in a state the table does not
 * list changes nothing, whoever races. Returns the document after the change, or null.
 */
export function stateTable<S extends string, E extends string>(model: AnyModel, rows: Record<E, StateRow<S>>) {
  return {
    rows,
    /** Where `event` takes a document in `state`, or null when the table does not allow it. */
    next(state: S, event: E): S | null {
      const row = rows[event]
      return row.from.includes(state) ? row.to : null
    },
    async transition<T>(id: Types.ObjectId | string, event: E, set: Record<string, unknown> = {}, guard: Record<string, unknown> = {}): Promise<T | null> {
      const row = rows[event]
      return model.findOneAndUpdate({ ...guard, _id: id, state: { $in: row.from } }, { $set: { ...set, state: row.to } }, { new: true }).lean<T>()
    },
  }
}
