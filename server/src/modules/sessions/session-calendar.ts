import { addDays, businessDay, type AdminSessionCalendar, type AdminSessionDay, type SessionGlance, type SetSessionDayRequest } from '@xianlin/shared'
import { AppError } from '../../core/app-error'
import { onShelf, shelfProducts, type ShelfProduct } from '../catalog/catalog.service'
import type { SessionState, SessionsService } from './sessions.service'

const dayView = (s: SessionState): AdminSessionDay => ({
  day: s.day,
  custom: s.custom,
  closed: s.closed,
  priceFen: s.priceFen,
  ownPrice: s.ownPrice,
  quota: s.quota,
  ordered: s.quota - s.left,
  left: s.left,
  perMemberLimit: s.perMemberLimit,
  cutoffHour: s.cutoffHour,
  pickupHour: s.pickupHour,
  ownHours: s.ownHours,
  cutoffAt: s.cutoffAt.toISOString(),
  pickupDay: s.pickupDay,
  pickupFrom: s.pickupFrom.toISOString(),
})

/**
 * 运营后台 → 团期: each product's session calendar (a day's price, quota, limit and hours, or the
 * product's and the rules' where the day sets none), set a day at a time or copied forward, and
 * today's and tomorrow's sessions of the whole shelf at a glance.
 */
export function createSessionCalendar(deps: { sessions: SessionsService; timeZone: string; clock: () => Date }) {
  const { sessions, timeZone, clock } = deps
  const today = () => businessDay(clock(), timeZone)

  async function productOf(id: string): Promise<ShelfProduct> {
    const p = (await shelfProducts([id])).get(id)
    if (!p) throw new AppError('NOT_FOUND', '商品不存在')
    return p
  }
  function notPast(day: string): void {
    if (day < today()) throw new AppError('VALIDATION_FAILED', undefined, [{ path: 'params.day', message: '只能设置今天及以后的团期' }])
  }

  async function view(productId: string, from: string | undefined, days: number): Promise<AdminSessionCalendar> {
    const p = await productOf(productId)
    const states = await sessions.calendar(p.sale, from ?? today(), days)
    return { product: { id: p.view.id, name: p.view.name, priceFen: p.view.priceFen, sessionQuota: p.sale.sessionQuota, sessionLimit: p.sale.sessionLimit, onShelf: p.onShelf }, days: states.map(dayView) }
  }

  return {
    view,

    /** Sets one day, today or later; answers the calendar from that day. */
    async set(productId: string, day: string, patch: SetSessionDayRequest): Promise<AdminSessionCalendar> {
      notPast(day)
      await sessions.setDay((await productOf(productId)).sale, day, patch)
      return view(productId, day, 14)
    },

    /** Copies one day's settings onto the `days` days after it (复制到后面几天). */
    async copy(productId: string, day: string, days: number): Promise<AdminSessionCalendar> {
      notPast(day)
      await sessions.copyForward((await productOf(productId)).sale, day, days)
      return view(productId, day, days + 1)
    },

    async glance(): Promise<SessionGlance> {
      const days = [today(), addDays(today(), 1)]
      const products = await onShelf()
      const states = await sessions.glance(products.map((p) => p.sale), days)
      return {
        days,
        products: products.map((p) => ({ id: p.view.id, name: p.view.name, category: p.view.category, sessions: states.get(p.view.id)!.map((s) => ({ day: s.day, quota: s.quota, ordered: s.quota - s.left, left: s.left, closed: s.closed })) })),
      }
    },
  }
}

export type SessionCalendar = ReturnType<typeof createSessionCalendar>
