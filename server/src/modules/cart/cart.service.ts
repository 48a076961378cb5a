import { Types } from 'mongoose'
import { formatFen, type AddToCartRequest, type CartMergeResult, type CartView, type MergeCartRequest, type Rules, type UpdateCartLineRequest } from '@xianlin/shared'
import { AppError } from '../../core/app-error'
import { isDuplicateKeyError } from '../../db/errors'
import type { EventsService } from '../events/events.service'
import type { ShopService } from '../catalog/shop.service'
import type { SessionsService } from '../sessions/sessions.service'
import type { BasketLines, CheckedLine, WantedLine } from './basket-lines'
import { CartModel, type CartLineDoc } from './cart.model'

const sameLine = (a: { productId: string | Types.ObjectId; day: string }, b: { productId: string | Types.ObjectId; day: string }) => String(a.productId) === String(b.productId) && a.day === b.day

/** Why a line cannot be put in the basket as asked, as the error a shopper sees. */
function refusal(line: CheckedLine): AppError | null {
  if (line.problem === null) return null
  if (line.problem === 'off_shelf') return new AppError('NOT_FOUND', '商品不存在或已下架')
  if (line.problem === 'cut_off') return new AppError('SESSION_CUT_OFF', line.problemText ?? undefined)
  if (line.problem === 'no_session') return new AppError('NOT_ON_SALE')
  if (line.maxQuantity === 0 && line.problem === 'sold_out') return new AppError('SOLD_OUT', '这一期已售罄')
  return new AppError('OVER_LIMIT', line.problemText ?? undefined, { maxQuantity: line.maxQuantity })
}

/**
 * 购物车 (DESIGN.md, Shop): a member's basket on the server, so it follows them across devices.
 * Every read checks and prices every line afresh (basket-lines.ts); every write refuses what
 * cannot be bought as asked (over the limit, past the cut-off, off the shelf, a full basket).
 */
export function createCartService(deps: { lines: BasketLines; sessions: Pick<SessionsService, 'brief'>; shop: Pick<ShopService, 'levelOf'>; rules: Pick<Rules, 'shop'>; events: EventsService; clock: () => Date }) {
  const { lines, sessions, shop, rules, events, clock } = deps

  async function load(userId: string): Promise<{ lines: CartLineDoc[]; version: number }> {
    const doc = await CartModel.findById(userId).lean<{ lines: CartLineDoc[]; version: number }>()
    return doc ?? { lines: [], version: 0 }
  }

  /** Applies `change` to the basket as it is now; a change racing another is applied again on top of it. */
  async function mutate(userId: string, change: (current: CartLineDoc[]) => CartLineDoc[]): Promise<void> {
    for (let attempt = 0; attempt < 8; attempt++) {
      const cart = await load(userId)
      const next = { lines: change(cart.lines.map((l) => ({ ...l }))), version: cart.version + 1, updatedAt: clock() }
      try {
        if (cart.version === 0) await CartModel.create({ _id: new Types.ObjectId(userId), ...next })
        else if ((await CartModel.updateOne({ _id: new Types.ObjectId(userId), version: cart.version }, { $set: next })).modifiedCount === 0) continue
        return
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err
      }
    }
    throw new AppError('BUSY')
  }

  async function checked(userId: string, wanted: readonly WantedLine[]): Promise<CheckedLine[]> {
    return lines.check(wanted, (await shop.levelOf(userId)).priceRatePercent, userId)
  }

  async function view(userId: string): Promise<CartView> {
    const cart = await load(userId)
    const rate = (await shop.levelOf(userId)).priceRatePercent
    const found = await lines.check(cart.lines.map((l) => ({ productId: String(l.productId), day: l.day, quantity: l.quantity })), rate, userId)
    return toView(found, cart.lines.map((l) => l.selected), rate)
  }

  /** The basket as the shopper sees it: lines at the level's `rate`, and the totals of what is selected and can be bought. */
  function toView(found: CheckedLine[], selected: boolean[], rate: number): CartView {
    const buyable = found.filter((l, i) => selected[i] && l.problem === null)
    return {
      lines: found.map((l, i) => ({
        productId: l.productId,
        day: l.day,
        product: l.product
          ? { id: l.product.view.id, name: l.product.view.name, subtitle: l.product.view.subtitle, unit: l.product.view.unit, category: l.product.view.category, cover: l.product.view.cover }
          : { id: l.productId, name: '商品已下架', subtitle: '', unit: '', category: '', cover: { emoji: '📦', tint: '#f2f2f2', photo: null } },
        quantity: l.quantity,
        selected: selected[i]!,
        listUnitFen: l.listUnitFen,
        unitFen: l.unitFen,
        memberUnitFen: l.memberUnitFen,
        lineFen: l.lineFen,
        session: l.session && l.problem !== 'off_shelf' ? sessions.brief(l.session.state, rate) : null,
        maxQuantity: l.maxQuantity,
        problem: l.problem,
        problemText: l.problemText,
        fix: l.fix,
      })),
      itemCount: found.reduce((n, l) => n + l.quantity, 0),
      selectedCount: buyable.reduce((n, l) => n + l.quantity, 0),
      selectedFen: buyable.reduce((n, l) => n + l.lineFen, 0),
      maxLines: rules.shop.basketMaxLines,
    }
  }


  /**
   * Sets a line to `quantity` (adding it when new), refused as a whole when it cannot be bought so.
   * With `added`, the write adds that many to the line as it then is, so two adds at once both count.
   */
  async function put(userId: string, line: { productId: string; day: string; quantity: number }, opts: { previous?: { productId: string; day: string }; added?: number } = {}): Promise<void> {
    const { previous, added } = opts
    const cart = await load(userId)
    const [check] = await checked(userId, [line])
    const problem = refusal(check!)
    if (problem) throw problem
    const isNew = !cart.lines.some((l) => sameLine(l, line)) && !(previous && sameLine(previous, line))
    if (isNew && cart.lines.length - (previous ? 1 : 0) >= rules.shop.basketMaxLines) throw new AppError('CART_FULL', `购物车最多放 ${rules.shop.basketMaxLines} 种商品，先结算或清理一些吧`)
    await mutate(userId, (current) => {
      const kept = current.filter((l) => !(previous && sameLine(l, previous)))
      const at = kept.find((l) => sameLine(l, line))
      if (at) at.quantity = added === undefined ? line.quantity : at.quantity + added
      else kept.push({ productId: new Types.ObjectId(line.productId), day: line.day, quantity: added ?? line.quantity, selected: true, addedAt: clock() })
      return kept
    })
  }

  return {
    view,

    /** A signed-out visitor's basket, kept on the device, checked and priced as a guest's (the first level). */
    async preview(input: MergeCartRequest): Promise<CartView> {
      const rate = (await shop.levelOf(undefined)).priceRatePercent
      const found = await lines.check(input.lines, rate)
      return toView(found, found.map(() => true), rate)
    },

    /** 加入购物车: `quantity` more of a product in a session (the open one unless named). */
    async add(userId: string, input: Required<Pick<AddToCartRequest, 'productId' | 'quantity'>> & { day?: string }): Promise<CartView> {
      const [first] = await checked(userId, [{ productId: input.productId, day: input.day, quantity: input.quantity }])
      const day = first!.day
      const had = (await load(userId)).lines.find((l) => sameLine(l, { productId: input.productId, day }))?.quantity ?? 0
      await put(userId, { productId: input.productId, day, quantity: had + input.quantity }, { added: input.quantity })
      await events.track({ userId, name: 'add_to_cart', props: { productId: input.productId, day, quantity: input.quantity }, at: clock() })
      return view(userId)
    },

    /** Changes a line: its quantity (0 removes it), its selection, or its session (joining a line already there). */
    async update(userId: string, input: UpdateCartLineRequest): Promise<CartView> {
      const cart = await load(userId)
      const line = cart.lines.find((l) => sameLine(l, input))
      if (!line) throw new AppError('NOT_FOUND', '购物车里没有这件商品')
      if (input.quantity === 0) await mutate(userId, (current) => current.filter((l) => !sameLine(l, input)))
      else if (input.moveTo && input.moveTo !== input.day) {
        const there = cart.lines.find((l) => sameLine(l, { productId: input.productId, day: input.moveTo! }))?.quantity ?? 0
        await put(userId, { productId: input.productId, day: input.moveTo, quantity: there + (input.quantity ?? line.quantity) }, { previous: input })
      } else if (input.quantity !== undefined && input.quantity !== line.quantity) await put(userId, { productId: input.productId, day: input.day, quantity: input.quantity })
      if (input.selected !== undefined) await mutate(userId, (current) => current.map((l) => (sameLine(l, { productId: input.productId, day: input.moveTo ?? input.day }) ? { ...l, selected: input.selected! } : l)))
      return view(userId)
    },

    /** Removes the named lines, or (清除失效商品) every line that cannot be bought now in any quantity. */
    async remove(userId: string, input: { lines?: Array<{ productId: string; day: string }>; unavailable?: true }): Promise<CartView> {
      let gone = input.lines ?? []
      if (input.unavailable) {
        const cart = await load(userId)
        const found = await checked(userId, cart.lines.map((l) => ({ productId: String(l.productId), day: l.day, quantity: l.quantity })))
        gone = found.filter((l) => l.maxQuantity === 0).map((l) => ({ productId: l.productId, day: l.day }))
      }
      await mutate(userId, (current) => current.filter((l) => !gone.some((g) => sameLine(l, g))))
      return view(userId)
    },

    async selectAll(userId: string, selected: boolean): Promise<CartView> {
      await mutate(userId, (current) => current.map((l) => ({ ...l, selected })))
      return view(userId)
    },

    /** Lines a checkout bought leave the basket (the order has them now). */
    async removeBought(userId: string, bought: ReadonlyArray<{ productId: string; day: string }>): Promise<void> {
      if ((await load(userId)).lines.some((l) => bought.some((b) => sameLine(l, b)))) await mutate(userId, (current) => current.filter((l) => !bought.some((b) => sameLine(l, b))))
    },

    /**
     * A visitor's basket from the device, merged at sign-in: each line adds to the member's own
     * line of that product and session; a session past its cut-off moves to the open one; limits,
     * stock and the line cap apply; off-shelf products stay out. Says what changed, line by line.
     */
    async merge(userId: string, input: MergeCartRequest): Promise<CartMergeResult> {
      const changes: CartMergeResult['changes'] = []
      const asked = await checked(userId, input.lines)
      const cart = await load(userId)
      const targets: Array<{ productId: string; day: string; quantity: number; name: string; unitPriceFen?: number }> = []
      asked.forEach((l, i) => {
        const name = l.product?.view.name ?? '商品'
        if (l.problem === 'off_shelf') return void changes.push({ productId: l.productId, name, text: '已下架，没有加入购物车' })
        let day = l.day
        if ((l.problem === 'cut_off' || l.problem === 'no_session') && l.fix?.kind === 'move') {
          day = l.fix.day
          changes.push({ productId: l.productId, name, text: `${l.problemText}，已改为下一期` })
        } else if (l.problem === 'cut_off' || l.problem === 'no_session') return void changes.push({ productId: l.productId, name, text: `${l.problemText ?? '这一期不售'}，没有加入购物车` })
        const existing = targets.find((t) => sameLine(t, { productId: l.productId, day }))
        if (existing) existing.quantity += input.lines[i]!.quantity
        else targets.push({ productId: l.productId, day, name, quantity: (cart.lines.find((c) => sameLine(c, { productId: l.productId, day }))?.quantity ?? 0) + input.lines[i]!.quantity, unitPriceFen: input.lines[i]!.unitPriceFen })
      })
      const final = await checked(userId, targets)
      const merged: Array<{ productId: string; day: string; quantity: number }> = []
      let room = rules.shop.basketMaxLines - cart.lines.length
      final.forEach((l, i) => {
        const t = targets[i]!
        const isNew = !cart.lines.some((c) => sameLine(c, t))
        if (l.maxQuantity === 0) return void changes.push({ productId: t.productId, name: t.name, text: `${l.problemText ?? '暂时买不了'}，没有加入购物车` })
        if (isNew && room <= 0) return void changes.push({ productId: t.productId, name: t.name, text: '购物车已满，没有加入' })
        if (isNew) room--
        const quantity = Math.min(t.quantity, l.maxQuantity)
        if (quantity < t.quantity) changes.push({ productId: t.productId, name: t.name, text: `${l.problemText}，已调整为 ${quantity} 件` })
        if (t.unitPriceFen !== undefined && t.unitPriceFen !== l.memberUnitFen) changes.push({ productId: t.productId, name: t.name, text: `价格已更新为 ${formatFen(l.memberUnitFen)}` })
        merged.push({ productId: t.productId, day: t.day, quantity })
      })
      if (merged.length)
        await mutate(userId, (current) => {
          for (const m of merged) {
            const at = current.find((l) => sameLine(l, m))
            if (at) at.quantity = m.quantity
            else if (current.length < rules.shop.basketMaxLines) current.push({ productId: new Types.ObjectId(m.productId), day: m.day, quantity: m.quantity, selected: true, addedAt: clock() })
          }
          return current
        })
      return { cart: await view(userId), changes }
    },
  }
}

export type CartService = ReturnType<typeof createCartService>
