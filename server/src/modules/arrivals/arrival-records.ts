import { insertOnce } from '../../core/insert-once'
import { stateTable } from '../../core/state-table'
import { ARRIVAL_TRANSITIONS, ArrivalModel, type Arrival } from './arrival.model'

export type { Arrival } from './arrival.model'

/** Every change of an arrival's state goes through its table (arrival.model.ts). */
export const arrivalStates = stateTable<'confirmed' | 'told', keyof typeof ARRIVAL_TRANSITIONS>(ArrivalModel, ARRIVAL_TRANSITIONS)

/** Arrivals as the session-lists flow reads and writes them (`_id` = `<leader|store>:<point>:<day>`). */
export const arrivalRecords = {
  find: (id: string) => ArrivalModel.findById(id).lean<Arrival>(),
  /** Records the first confirmation of a point's day; a repeat keeps the first. */
  createOnce: (doc: Record<string, unknown> & { _id: string }) => insertOnce(ArrivalModel, doc),
  /** Confirmed a minute ago and members not told yet (a crash between). */
  untold: (stale: Date) => ArrivalModel.find({ state: 'confirmed', at: { $lte: stale } }).limit(20).lean<Arrival[]>(),
}
