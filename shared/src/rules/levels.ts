import type { Rules } from './rules.schema'

type Tier = Rules['levels']['tiers'][number]

/**
 * The member level for a growth value: the highest tier whose `minGrowth` it reaches
 * (DESIGN.md, Member levels). Reaching a threshold exactly is enough. Returns the tier's index.
 */
export function levelRankForGrowth(tiers: readonly Tier[], growth: number): number {
  let rank = 0
  tiers.forEach((tier, i) => {
    if (growth >= tier.minGrowth) rank = i
  })
  return rank
}

/** The next tier above `rank` and the growth still needed to reach it, or null at the top. */
export function nextLevel(tiers: readonly Tier[], rank: number, growth: number): { tier: Tier; growthNeeded: number } | null {
  const tier = tiers[rank + 1]
  return tier ? { tier, growthNeeded: Math.max(tier.minGrowth - growth, 0) } : null
}

/**
 * The member price in fen: `priceFen × priceRatePercent / 100`, rounded half up to the fen, and
 * never below `floorFen` (an activity's floor price). Integers in, integer out.
 */
export function memberPriceFen(priceFen: number, priceRatePercent: number, floorFen = 0): number {
  const discounted = Math.floor((priceFen * priceRatePercent + 50) / 100)
  return Math.max(discounted, Math.min(floorFen, priceFen))
}
