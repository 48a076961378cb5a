import mongoose, { Types } from 'mongoose'
import { addDays } from '@xianlin/shared'
import { countCommands, startTestApp, type TestApp } from '../../../test/harness'
import { saveDayPayments } from './member-payments'
import { rfmReport } from './rfm-report'

/** RFM's figures are kept between reads, and never shown once a fold has rewritten payers since they were counted. */
let t: TestApp
beforeAll(async () => {
  t = await startTestApp(__filename)
})
afterAll(() => t.close())

const rules = { windowDays: 90, recentDays: 30, frequentOrders: 3, valuableFen: 50_000 }
const to = '2026-12-06'
const member = () => new Types.ObjectId().toHexString()
const segmentsOf = async () => Object.fromEntries((await rfmReport(to, rules)).segments.map((s) => [s.segment, [s.members, s.paidFen]]))

it('counts once, reads two documents after, and counts again after a fold writes payers', async () => {
  const [a, b] = [member(), member()]
  await saveDayPayments(addDays(to, -1), new Map([[a, { orders: 3, paidFen: 60_000 }]]))
  await saveDayPayments(addDays(to, -60), new Map([[b, { orders: 1, paidFen: 990 }]]))
  const first = await segmentsOf()
  const kept = await countCommands(() => rfmReport(to, rules))
  expect(kept.commands).toBe(1)
  expect(Object.fromEntries(kept.value.segments.map((s) => [s.segment, [s.members, s.paidFen]]))).toEqual(first)
  expect(kept.value.segments.reduce((n, s) => n + s.members, 0)).toBe(2)

  // A fold rewrites a day's payers: the next read counts them.
  await saveDayPayments(addDays(to, -2), new Map([[member(), { orders: 1, paidFen: 1_000 }]]))
  const after = (await rfmReport(to, rules)).segments
  expect(after.reduce((n, s) => n + s.members, 0)).toBe(3)
  expect(after.reduce((n, s) => n + s.paidFen, 0)).toBe(61_990)

  // Figures counted under an earlier version (a count that read payers before a fold wrote) are counted again, never shown.
  const snapshots = mongoose.connection.db!.collection<{ _id: string; version: number; segments: unknown }>('rfm_snapshots')
  const current = (await snapshots.findOne({ _id: 'version' }))!.version
  await snapshots.updateOne({ _id: `${to}|90:30:3:50000` }, { $set: { version: current - 1, segments: [] } })
  expect((await rfmReport(to, rules)).segments.reduce((n, s) => n + s.members, 0)).toBe(3)
})
