import fs from 'node:fs'
import path from 'node:path'
import { describeRulesProblems, RulesSchema } from './rules.schema'

const shipped = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'config', 'rules.json'), 'utf8'))

describe('the rules schema', () => {
  it('accepts the shipped config/rules.json with DESIGN.md defaults', () => {
    const rules = RulesSchema.parse(shipped)
    expect(rules.business.timeZone).toBe('Asia/Shanghai')
    expect(rules.levels.tiers.map((t) => [t.minGrowth, t.priceRatePercent])).toEqual([
      [0, 98],
      [1000, 95],
      [5000, 90],
      [20000, 85],
    ])
    expect(rules.share.caps.perUserPerDay).toBe(3)
    expect(rules.groupbuy.seatHoldMinutes).toBe(15)
  })

  it('names a misspelt key with its full path', () => {
    const typo = { ...shipped, checkin: { ...shipped.checkin, cycleDayz: 7 } }
    delete typo.checkin.cycleDays
    const problems = describeRulesProblems(typo)
    expect(problems).toContain('unknown key "checkin.cycleDayz"')
    expect(problems.join('\n')).toContain('"checkin.cycleDays"')
  })

  it('names a mistyped value', () => {
    const problems = describeRulesProblems({ ...shipped, points: { ...shipped.points, expiryDays: '365' } })
    expect(problems).toEqual([expect.stringContaining('"points.expiryDays"')])
  })

  it('refuses levels that do not rise and an unknown time zone', () => {
    const tiers = [...shipped.levels.tiers].reverse()
    expect(describeRulesProblems({ ...shipped, levels: { ...shipped.levels, tiers } }).join()).toMatch(/levels\.tiers/)
    expect(describeRulesProblems({ ...shipped, business: { ...shipped.business, timeZone: 'Mars/Olympus' } }).join()).toMatch(
      /business\.timeZone.*IANA/,
    )
  })

  it('refuses an unknown top-level section', () => {
    expect(describeRulesProblems({ ...shipped, lottery: {} })).toEqual(['unknown key "lottery"'])
  })
})
