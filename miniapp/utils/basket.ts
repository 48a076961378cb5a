import Taro from '@tarojs/taro'
import type { CartView, CartLine } from '@xianlin/shared'
import { api, ApiError } from '../api'
import { session } from './session'

/**
 * The basket as pages use it (DESIGN.md, Shop): a signed-in member's lives on the server and
 * follows them across devices; a signed-out visitor's is kept on the device (H5) and priced by the
 * server as a guest's, then merged into the member's at sign-in. Every change answers the basket
 * as the server then sees it, and the 购物车 tab's badge follows its item count.
 */
const LOCAL_KEY = 'local-basket'
/** The 购物车 tab's place in the tab bar (app.config.ts). */
const CART_TAB = 2

interface LocalLine {
  productId: string
  day?: string
  quantity: number
  selected: boolean
  /** The member unit price the visitor saw (the merge says when it changed). */
  unitPriceFen?: number
}

const readLocal = (): LocalLine[] => {
  const value = Taro.getStorageSync(LOCAL_KEY)
  return Array.isArray(value) ? (value as LocalLine[]) : []
}
const writeLocal = (lines: LocalLine[]) => (lines.length ? Taro.setStorageSync(LOCAL_KEY, lines) : Taro.removeStorageSync(LOCAL_KEY))
const sameLine = (a: { productId: string; day?: string }, b: { productId: string; day?: string }) => a.productId === b.productId && (a.day ?? '') === (b.day ?? '')

/** The device's basket priced by the server; its lines keep the device's selection. */
async function localView(): Promise<CartView> {
  const lines = readLocal()
  const cart = (await api.cart.preview({ lines: lines.map(({ productId, day, quantity }) => ({ productId, day, quantity })) })).cart
  // The server answers a line without a day with its open session's; remember it, so later changes name it.
  const named = lines.map((l, i) => ({ ...l, day: l.day ?? cart.lines[i]?.day }))
  writeLocal(named)
  const picked = cart.lines.map((l, i) => ({ ...l, selected: named[i]!.selected }))
  const buyable = picked.filter((l) => l.selected && l.problem === null)
  return { ...cart, lines: picked, selectedCount: buyable.reduce((n, l) => n + l.quantity, 0), selectedFen: buyable.reduce((n, l) => n + l.lineFen, 0) }
}

function showBadge(cart: CartView): CartView {
  const text = cart.itemCount > 99 ? '99+' : String(cart.itemCount)
  // Only a tab page can set the badge in WeChat; elsewhere the next tab page shown sets it.
  void (cart.itemCount > 0 ? Taro.setTabBarBadge({ index: CART_TAB, text }) : Taro.removeTabBarBadge({ index: CART_TAB })).catch(() => undefined)
  return cart
}

const signedIn = () => Boolean(session.accessToken())

export const basket = {
  /** The basket now, checked and priced; the badge follows. */
  async view(): Promise<CartView> {
    return showBadge(signedIn() ? (await api.cart.view()).cart : await localView())
  },

  /** Adds `quantity` of a product, in its open session unless `day` is given. */
  async add(productId: string, quantity = 1, day?: string, unitPriceFen?: number): Promise<CartView> {
    if (signedIn()) return showBadge((await api.cart.add({ productId, quantity, ...(day ? { day } : {}) })).cart)
    const lines = readLocal()
    if (!lines.some((l) => sameLine(l, { productId, day })) && lines.length >= 50) throw new ApiError('CART_FULL', '购物车已满，先结算或清理一些吧', 409)
    const at = lines.find((l) => sameLine(l, { productId, day }))
    if (at) at.quantity += quantity
    else lines.push({ productId, day, quantity, selected: true, unitPriceFen })
    writeLocal(lines)
    return basket.view()
  },

  /** Changes a line: its quantity (0 removes it), selection, or session. */
  async update(line: Pick<CartLine, 'productId' | 'day'>, change: { quantity?: number; selected?: boolean; moveTo?: string }): Promise<CartView> {
    if (signedIn()) return showBadge((await api.cart.update({ productId: line.productId, day: line.day, ...change })).cart)
    const lines = readLocal()
    const at = lines.find((l) => sameLine(l, line))
    if (at && change.quantity === 0) lines.splice(lines.indexOf(at), 1)
    else if (at) {
      if (change.quantity !== undefined) at.quantity = change.quantity
      if (change.selected !== undefined) at.selected = change.selected
      if (change.moveTo) at.day = change.moveTo
    }
    writeLocal(lines)
    return basket.view()
  },

  async selectAll(selected: boolean): Promise<CartView> {
    if (signedIn()) return showBadge((await api.cart.select(selected)).cart)
    writeLocal(readLocal().map((l) => ({ ...l, selected })))
    return basket.view()
  },

  /** Removes lines, or every line that cannot be bought now (清除失效商品). */
  async remove(lines: Array<Pick<CartLine, 'productId' | 'day'>> | 'unavailable', current?: CartView): Promise<CartView> {
    if (signedIn()) return showBadge((await api.cart.remove(lines === 'unavailable' ? { unavailable: true } : { lines: lines.map(({ productId, day }) => ({ productId, day })) })).cart)
    const gone = lines === 'unavailable' ? (current?.lines ?? []).filter((l) => l.maxQuantity === 0) : lines
    writeLocal(readLocal().filter((l) => !gone.some((g) => sameLine(l, g))))
    return basket.view()
  },

  /**
   * At sign-in: the device's basket joins the member's (quantities add up, limits apply) and the
   * member is told what changed. Nothing to do when the device holds none.
   */
  async mergeAfterSignIn(): Promise<void> {
    const lines = readLocal()
    if (!lines.length) return void basket.view().catch(() => undefined)
    const merged = await api.cart.merge({ lines: lines.map(({ productId, day, quantity, unitPriceFen }) => ({ productId, day, quantity, unitPriceFen })) })
    writeLocal([])
    showBadge(merged.cart)
    if (merged.changes.length) void Taro.showModal({ title: '购物车已合并', content: merged.changes.map((c) => `「${c.name}」${c.text}`).join('\n'), showCancel: false, confirmText: '知道了' })
  },
}
