import fs from 'node:fs'
import path from 'node:path'
import { levelRankForGrowth, memberPriceFen, nextLevel } from './levels'
import { RulesSchema } from './rules.schema'

const rules = RulesSchema.parse(JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'config', 'rules.json'), 'utf8')))
const tiers = rules.levels.tiers

describe('levelRankForGrowth', () => {
  it.each([
    [0, 'regular'],
    [999, 'regular'],
    [1000, 'silver'],
    [4999, 'silver'],
    [5000, 'gold'],
    [19999, 'gold'],
    [20000, 'diamond'],
    [1_000_000, 'diamond'],
  ])('growth %d → %s (a threshold reached exactly counts)', (growth, key) => {
    expect(tiers[levelRankForGrowth(tiers, growth)]!.key).toBe(key)
  })
})

describe('nextLevel', () => {
  it('says what is still needed, and nothing at the top', () => {
    expect(nextLevel(tiers, 0, 250)).toMatchObject({ tier: { key: 'silver' }, growthNeeded: 750 })
    expect(nextLevel(tiers, 3, 25000)).toBeNull()
  })
})

describe('memberPriceFen', () => {
  it.each([
    [10000, 98, 0, 9800],
    [1990, 95, 0, 1891], // 1890.5 rounds half up
    [1999, 85, 0, 1699], // 1699.15
    [10000, 85, 9000, 9000], // never below the activity's floor
    [500, 90, 800, 500], // a floor above the price does not raise it
  ])('%d fen at %d%% with floor %d → %d', (price, rate, floor, expected) => {
    expect(memberPriceFen(price, rate, floor)).toBe(expected)
  })
})
