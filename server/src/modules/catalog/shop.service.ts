import { memberPriceFen, type ProductDetail, type ProductListResponse, type Rules, type ShopProduct } from '@xianlin/shared'
import type { MembershipService } from '../membership/membership.service'
import type { SessionsService } from '../sessions/sessions.service'
import { shelfCategories, shelfPage, shelfProduct, type ShelfProduct } from './catalog.service'

type Level = Rules['levels']['tiers'][number]

/**
 * The shop as shoppers browse it (分类, 搜索, 商品详情): each product with the sessions it can be
 * ordered for now and its price at the viewer's level in the open one (a guest sees the first level's).
 */
export function createShopService(deps: { sessions: SessionsService; membership: MembershipService; rules: Pick<Rules, 'levels' | 'shop'> }) {
  const { sessions, membership, rules } = deps

  async function levelOf(userId: string | undefined): Promise<Level> {
    const tiers = rules.levels.tiers
    return tiers[Math.min(userId ? await membership.rankOf(userId) : 0, tiers.length - 1)]!
  }

  async function cards(list: readonly ShelfProduct[], level: Level): Promise<ShopProduct[]> {
    const open = await sessions.orderable(list.map((p) => p.sale))
    return list.map((p) => {
      const states = open.get(p.sale.id) ?? []
      return {
        ...p.view,
        memberPriceFen: memberPriceFen(states[0]?.priceFen ?? p.view.priceFen, level.priceRatePercent),
        levelName: level.name,
        soldCount: p.soldCount,
        sessions: states.map((s) => sessions.brief(s, level.priceRatePercent)),
      }
    })
  }

  return {
    levelOf,

    async list(query: { category?: string; q?: string; page: number; limit: number }, userId?: string): Promise<ProductListResponse> {
      const [page, level] = await Promise.all([shelfPage(query, rules.shop.pinyinSearch), levelOf(userId)])
      const shown = await cards([...page.products, ...(page.suggestions?.bestSellers ?? [])], level)
      return {
        products: shown.slice(0, page.products.length),
        next: page.next,
        suggestions: page.suggestions ? { categories: page.suggestions.categories, bestSellers: shown.slice(page.products.length) } : null,
      }
    },

    async detail(id: string, userId?: string): Promise<ProductDetail> {
      const [p, level] = await Promise.all([shelfProduct(id), levelOf(userId)])
      const [card] = await cards([p], level)
      return { ...card!, spec: p.spec, origin: p.origin }
    },

    categories: async () => ({ categories: await shelfCategories() }),
  }
}

export type ShopService = ReturnType<typeof createShopService>
