import { RulesSchema } from '@xianlin/shared'
import fs from 'node:fs'
import { DEFAULT_RULES_FILE } from '../../paths'
import { createLiveRules, liveView } from './live-rules'

const shipped = RulesSchema.parse(JSON.parse(fs.readFileSync(DEFAULT_RULES_FILE, 'utf8')))

describe('live rules', () => {
  it('a view handed out at start reads the version applied later, however deep, and never an older one', () => {
    const live = createLiveRules(shipped)
    const rules = liveView(live.current)
    const checkin = rules.checkin // what a service keeps at start
    const tiers = rules.levels.tiers
    expect(checkin.cycleBonusPoints).toBe(shipped.checkin.cycleBonusPoints)

    const next = structuredClone(shipped)
    next.checkin.cycleBonusPoints = 25
    next.levels.tiers[1]!.minGrowth = 1500
    live.apply(3, next)
    expect(checkin.cycleBonusPoints).toBe(25)
    expect(tiers[1]!.minGrowth).toBe(1500)
    expect(tiers.map((t) => t.minGrowth)).toEqual(next.levels.tiers.map((t) => t.minGrowth))
    expect(Object.values(checkin.caps)).toEqual(Object.values(next.checkin.caps))
    expect(JSON.parse(JSON.stringify(rules))).toEqual(next)
    expect(RulesSchema.parse(rules)).toEqual(next)

    live.apply(2, shipped) // an older version arriving late changes nothing
    expect(live.version()).toBe(3)
    expect(checkin.cycleBonusPoints).toBe(25)
  })

  it('cannot be written through', () => {
    const rules = liveView(createLiveRules(shipped).current)
    expect(() => {
      ;(rules.checkin as { cycleBonusPoints: number }).cycleBonusPoints = 1
    }).toThrow(TypeError)
  })
})
