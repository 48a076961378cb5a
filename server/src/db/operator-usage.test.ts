import path from 'node:path'
import { coveredOperators, findOperatorViolations, serverSources } from './operator-usage'

const covered = coveredOperators(path.join(__dirname, 'conformance'))

describe('database operators used by the code', () => {
  it('are all covered by the conformance suite, and none is a shape the embedded database gets wrong', () => {
    expect(covered.size).toBeGreaterThan(10)
    expect(findOperatorViolations(serverSources(path.join(__dirname, '..')), covered)).toEqual([])
  })

  it('fails on a deliberate use of an uncovered operator', () => {
    const found = findOperatorViolations([{ file: 'x.service.ts', text: "await M.updateOne({ _id }, { $bit: { flags: { or: 1 } } })" }], covered)
    expect(found).toEqual([expect.objectContaining({ file: 'x.service.ts', line: 1, reason: '$bit is not covered by db/conformance' })])
  })

  it('fails on a covered operator in a shape the embedded database gets wrong', () => {
    const found = findOperatorViolations(
      [{ file: 'g.service.ts', text: "GroupModel.updateOne({ _id, 'members.userId': { $ne: uid } }, { $inc: { free: -1 } })\nGroupModel.updateOne({ _id }, { $pull: { members: { orderId } } })" }],
      covered,
    )
    expect(found.map((v) => [v.line, v.reason])).toEqual([
      [1, expect.stringContaining('dotted path')],
      [2, expect.stringContaining('$pull with a condition')],
    ])
  })

  it('fails on a bulk write that does not go through bulkUpdate', () => {
    const text = 'await DailyMetricModel.bulkWrite(ops, { ordered: false })'
    expect(findOperatorViolations([{ file: 'events/daily-metrics.ts', text }], covered)).toEqual([expect.objectContaining({ line: 1, reason: expect.stringContaining('use bulkUpdate') })])
    expect(findOperatorViolations([{ file: 'db/bulk-update.ts', text }], covered)).toEqual([])
  })

  it('ignores field references and template placeholders that only look like operators', () => {
    expect(findOperatorViolations([{ file: 'a.ts', text: "const x = `seats.${id}`; const y = { total: { $sum: '$amount' } }" }], covered)).toEqual([])
  })
})
