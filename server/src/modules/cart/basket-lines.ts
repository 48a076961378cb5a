import { SESSION_DAY_WORDS, businessDay, dayText, memberPriceFen, type CartFix, type CartProblem } from '@xianlin/shared'
import { shelfProducts, type ShelfProduct } from '../catalog/catalog.service'
import type { SessionLine, SessionState, SessionsService } from '../sessions/sessions.service'

/** A line a shopper wants (a basket line, or a checkout's): a product, a session unless the open one, and how many. */
export interface WantedLine {
  productId: string
  day?: string
  quantity: number
}

/** A wanted line as it stands now: priced at the member's level, with why it cannot be bought and the fix, if so. */
export interface CheckedLine {
  productId: string
  day: string
  quantity: number
  product: ShelfProduct | null
  session: SessionLine | null
  problem: CartProblem | null
  problemText: string | null
  fix: CartFix | null
  /** Most units the member may still have of this session (0 when it cannot be bought). */
  maxQuantity: number
  listUnitFen: number
  unitFen: number
  memberUnitFen: number
  lineFen: number
}

/**
 * Checks lines against the shelf and the sessions (DESIGN.md, Shop): on the shelf, a session that
 * still takes orders, units left, and the member's limit. The basket shows the answers and
 * checkout refuses on them; both read them from here, so they never disagree.
 */
export function createBasketLines(deps: { sessions: SessionsService; timeZone: string; clock: () => Date }) {
  const { sessions, timeZone, clock } = deps

  /** Which session to buy instead, in words ("明日场"), for a line that cannot be bought in its own. */
  const sessionWord = (day: string) => `${dayText(day, businessDay(clock(), timeZone), SESSION_DAY_WORDS)}场`

  function problemOf(line: WantedLine & { day: string }, s: SessionLine, open: readonly SessionState[]): Pick<CheckedLine, 'problem' | 'problemText' | 'fix' | 'maxQuantity'> {
    const other = open.find((o) => o.day !== line.day && o.left > 0)
    const move = other ? ({ kind: 'move', day: other.day, text: `改买${sessionWord(other.day)}` } as const) : null
    if (!open.some((o) => o.day === line.day)) {
      const cutOff = !s.state.closed && s.state.cutoffAt <= clock()
      const text = cutOff ? (other ? `已截单 — ${sessionWord(other.day)}可买` : '已截单') : '这一期不售'
      return { problem: cutOff ? 'cut_off' : 'no_session', problemText: text, fix: move ?? { kind: 'remove', text: '删除' }, maxQuantity: 0 }
    }
    const maxQuantity = Math.max(0, Math.min(s.state.left, s.state.perMemberLimit - s.bought))
    if (s.state.left === 0) return { problem: 'sold_out', problemText: other ? `售罄 — ${sessionWord(other.day)}可买` : '售罄', fix: move ?? { kind: 'remove', text: '删除' }, maxQuantity }
    if (line.quantity <= maxQuantity) return { problem: null, problemText: null, fix: null, maxQuantity }
    const overLimit = s.state.perMemberLimit - s.bought < line.quantity
    const text = overLimit ? (s.bought > 0 ? `超出限购（每人限 ${s.state.perMemberLimit} 件，已买 ${s.bought} 件）` : `超出限购（每人限 ${s.state.perMemberLimit} 件）`) : `库存不足，仅剩 ${s.state.left} 件`
    const fix: CartFix = maxQuantity > 0 ? { kind: 'reduce', quantity: maxQuantity, text: `改为 ${maxQuantity} 件` } : (move ?? { kind: 'remove', text: '删除' })
    return { problem: overLimit ? 'over_limit' : 'sold_out', problemText: text, fix, maxQuantity }
  }

  return {
    /**
     * Checks and prices `wanted` for a member at `priceRatePercent` (a guest: the first level's).
     * A line without a day is for its product's open session. Three reads, however many lines.
     */
    async check(wanted: readonly WantedLine[], priceRatePercent: number, userId?: string): Promise<CheckedLine[]> {
      const products = await shelfProducts(wanted.map((w) => w.productId))
      const { open, lines } = await sessions.forLines([...products.values()].filter((p) => p.onShelf).map((p) => p.sale), wanted, userId)
      return wanted.map((w, i) => {
        const session = lines[i] ?? null
        const day = session?.state.day ?? w.day ?? businessDay(clock(), timeZone)
        const product = products.get(w.productId) ?? null
        const listUnitFen = product?.view.priceFen ?? 0
        const unitFen = session?.state.priceFen ?? listUnitFen
        const memberUnitFen = memberPriceFen(unitFen, priceRatePercent)
        const base = { productId: w.productId, day, quantity: w.quantity, product, session, listUnitFen, unitFen, memberUnitFen, lineFen: memberUnitFen * w.quantity }
        if (!product || !product.onShelf || !session) return { ...base, problem: 'off_shelf', problemText: '已下架', fix: { kind: 'remove', text: '删除' }, maxQuantity: 0 }
        return { ...base, ...problemOf({ ...w, day }, session, open.get(w.productId) ?? []) }
      })
    },
  }
}

export type BasketLines = ReturnType<typeof createBasketLines>
