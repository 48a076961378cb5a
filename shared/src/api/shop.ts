import { z } from 'zod'
import { CoverSchema, ProductViewSchema } from './catalog'
import { DaySchema, ObjectIdSchema } from './common'

const int = z.number().int()

/**
 * A daily session (团期) as a shopper sees it (DESIGN.md, Shop): the sale day, when it stops taking
 * orders, when its goods can be picked up, its price before the member discount, and what is left.
 */
export const SessionBriefSchema = z.object({
  day: z.string(),
  cutoffAt: z.string(),
  pickupDay: z.string(),
  pickupFrom: z.string(),
  priceFen: int,
  /** That price at the viewer's level (a guest: the first level's). */
  memberPriceFen: int,
  left: int,
  perMemberLimit: int,
})
export type SessionBrief = z.infer<typeof SessionBriefSchema>

/**
 * A product as the shop lists it: its card, the price at the viewer's level in its open session,
 * units sold, and the sessions a shopper may order for now, the open one first (empty: not on sale).
 */
export const ShopProductSchema = ProductViewSchema.extend({
  memberPriceFen: int,
  levelName: z.string(),
  soldCount: int,
  sessions: z.array(SessionBriefSchema),
})
export type ShopProduct = z.infer<typeof ShopProductSchema>

export const ProductListQuerySchema = z.strictObject({
  category: z.string().min(1).max(20).optional(),
  /**
   * Search over the whole catalogue: name, selling point, category and tags, and (rules
   * `shop.pinyinSearch`) the name's pinyin, its initials and near misses; exact matches first.
   */
  q: z.string().trim().min(1).max(20).optional(),
  page: z.coerce.number().int().min(1).max(1000).default(1),
  limit: z.coerce.number().int().min(1).max(50).default(20),
})
export type ProductListQuery = z.input<typeof ProductListQuerySchema>

export const ProductListResponseSchema = z.object({
  products: z.array(ShopProductSchema),
  /** The next page, or null on the last one. */
  next: int.nullable(),
  /** A search that found nothing suggests categories and today's best sellers. */
  suggestions: z.object({ categories: z.array(z.string()), bestSellers: z.array(ShopProductSchema) }).nullable(),
})
export type ProductListResponse = z.infer<typeof ProductListResponseSchema>

/** 商品详情: the card, spec, origin, and the price at the viewer's level in the open session. */
export const ProductDetailSchema = ShopProductSchema.extend({ spec: z.string(), origin: z.string() })
export type ProductDetail = z.infer<typeof ProductDetailSchema>

export const CategoryListSchema = z.object({ categories: z.array(z.object({ name: z.string(), count: int })) })
export type CategoryList = z.infer<typeof CategoryListSchema>

// 购物车

/** Why a basket line cannot be bought now; each has a one-tap fix. */
export const CART_PROBLEMS = ['sold_out', 'over_limit', 'cut_off', 'off_shelf', 'no_session'] as const
export type CartProblem = (typeof CART_PROBLEMS)[number]

export const CartFixSchema = z.discriminatedUnion('kind', [
  /** Move the line to another session (the next one after a cut-off or a sell-out). */
  z.object({ kind: z.literal('move'), day: z.string(), text: z.string() }),
  /** Lower the quantity to what can still be had. */
  z.object({ kind: z.literal('reduce'), quantity: int, text: z.string() }),
  z.object({ kind: z.literal('remove'), text: z.string() }),
])
export type CartFix = z.infer<typeof CartFixSchema>

export const CartLineSchema = z.object({
  productId: z.string(),
  day: z.string(),
  product: z.object({ id: z.string(), name: z.string(), subtitle: z.string(), unit: z.string(), category: z.string(), cover: CoverSchema }),
  quantity: int,
  selected: z.boolean(),
  listUnitFen: int,
  /** The session's price before the member discount, then at the shopper's level, and the line's total at it. */
  unitFen: int,
  memberUnitFen: int,
  lineFen: int,
  session: SessionBriefSchema.nullable(),
  /** Most units of this session the shopper may still have (stock and limit): the stepper's maximum. */
  maxQuantity: int,
  problem: z.enum(CART_PROBLEMS).nullable(),
  problemText: z.string().nullable(),
  fix: CartFixSchema.nullable(),
})
export type CartLine = z.infer<typeof CartLineSchema>

export const CartViewSchema = z.object({
  lines: z.array(CartLineSchema),
  /** Units in the basket (the tab's badge). */
  itemCount: int,
  /** Units and their total at the member price, of the selected lines that can be bought now. */
  selectedCount: int,
  selectedFen: int,
  maxLines: int,
})
export type CartView = z.infer<typeof CartViewSchema>

const quantity = int.min(1, '数量至少为 1').max(99, '数量最多 99')
const LineKeySchema = z.strictObject({ productId: ObjectIdSchema, day: DaySchema })

/** 加入购物车: `quantity` more of a product, in the open session unless `day` names another. */
export const AddToCartRequestSchema = z.strictObject({ productId: ObjectIdSchema, day: DaySchema.optional(), quantity: quantity.default(1) })
export type AddToCartRequest = z.input<typeof AddToCartRequestSchema>

/** Changes one line: its quantity (0 removes it), whether it is selected, or its session. */
export const UpdateCartLineRequestSchema = LineKeySchema.extend({ quantity: int.min(0).max(99).optional(), selected: z.boolean().optional(), moveTo: DaySchema.optional() }).refine(
  (b) => b.quantity !== undefined || b.selected !== undefined || b.moveTo !== undefined,
  '没有要修改的内容',
)
export type UpdateCartLineRequest = z.input<typeof UpdateCartLineRequestSchema>

/** Removes the named lines, or every line that cannot be bought now (清除失效商品). */
export const RemoveCartLinesRequestSchema = z
  .strictObject({ lines: z.array(LineKeySchema).min(1).max(50).optional(), unavailable: z.literal(true).optional() })
  .refine((b) => Boolean(b.lines) !== Boolean(b.unavailable), '请指定要删除的商品，或清除失效商品（二选一）')
export type RemoveCartLinesRequest = z.input<typeof RemoveCartLinesRequestSchema>

export const SelectCartRequestSchema = z.strictObject({ selected: z.boolean() })

/**
 * A signed-out visitor's basket, kept on the device, merged into the member's at sign-in:
 * quantities add up, limits and stock apply, and the reply says what changed. A price the device
 * remembers is never used; the server prices every line.
 */
export const MergeCartRequestSchema = z.strictObject({
  lines: z.array(z.strictObject({ productId: ObjectIdSchema, day: DaySchema.optional(), quantity, unitPriceFen: int.min(0).optional() })).max(50),
})
export type MergeCartRequest = z.input<typeof MergeCartRequestSchema>

export const CartMergeResultSchema = z.object({ cart: CartViewSchema, changes: z.array(z.object({ productId: z.string(), name: z.string(), text: z.string() })) })
export type CartMergeResult = z.infer<typeof CartMergeResultSchema>

/**
 * A line of a basket checkout. `unitPriceFen` is the member unit price the page showed: when the
 * server's differs, the checkout is refused naming the line, so nobody pays a price they did not see.
 */
export const BasketLineInputSchema = z.strictObject({ productId: ObjectIdSchema, day: DaySchema.optional(), quantity, unitPriceFen: int.min(0).optional() })
export type BasketLineInput = z.input<typeof BasketLineInputSchema>

/** A refused basket line, as a refused checkout's `details.lines` lists them. */
export const RefusedLineSchema = z.object({ index: int, productId: z.string(), day: z.string().nullable(), problem: z.enum([...CART_PROBLEMS, 'price_changed']), text: z.string() })
export type RefusedLine = z.infer<typeof RefusedLineSchema>

// 运营后台 → 团期

/** One day of a product's session calendar: what is set for it (or follows the product's defaults and the rules). */
export const AdminSessionDaySchema = z.object({
  day: z.string(),
  /** Set for this day by an operator (otherwise it follows the product's defaults). */
  custom: z.boolean(),
  closed: z.boolean(),
  priceFen: int,
  /** The day sets its own price (otherwise the product's list price). */
  ownPrice: z.boolean(),
  quota: int,
  ordered: int,
  left: int,
  perMemberLimit: int,
  cutoffHour: int,
  pickupHour: int,
  /** The day sets its own hours (otherwise the rules'). */
  ownHours: z.boolean(),
  cutoffAt: z.string(),
  pickupDay: z.string(),
  pickupFrom: z.string(),
})
export type AdminSessionDay = z.infer<typeof AdminSessionDaySchema>

export const AdminSessionCalendarSchema = z.object({
  product: z.object({ id: z.string(), name: z.string(), priceFen: int, sessionQuota: int, sessionLimit: int, onShelf: z.boolean() }),
  days: z.array(AdminSessionDaySchema),
})
export type AdminSessionCalendar = z.infer<typeof AdminSessionCalendarSchema>

export const SessionCalendarQuerySchema = z.strictObject({ from: DaySchema.optional(), days: z.coerce.number().int().min(1).max(31).default(14) })
export const SessionDayParamsSchema = z.strictObject({ id: ObjectIdSchema, day: DaySchema })

/** Sets one day of a product's sessions; `null` returns a value to the product's default or the rules'. */
export const SetSessionDayRequestSchema = z
  .strictObject({
    priceFen: int.min(1, '价格至少 1 分').max(10_000_000).nullable(),
    quota: int.min(0).max(20_000, '单期最多 20000 件'),
    perMemberLimit: int.min(1).max(99).nullable(),
    cutoffHour: int.min(1).max(24).nullable(),
    pickupHour: int.min(0).max(23).nullable(),
    closed: z.boolean(),
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, '没有要修改的内容')
export type SetSessionDayRequest = z.infer<typeof SetSessionDayRequestSchema>

/** 复制到后面几天: the day's settings onto each of the next `days` days. */
export const CopySessionDayRequestSchema = z.strictObject({ days: z.number().int().min(1).max(30) })

/** Today's and tomorrow's sessions of every product on the shelf, units ordered against quota. */
export const SessionGlanceSchema = z.object({
  days: z.array(z.string()),
  products: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      category: z.string(),
      sessions: z.array(z.object({ day: z.string(), quota: int, ordered: int, left: int, closed: z.boolean() })),
    }),
  ),
})
export type SessionGlance = z.infer<typeof SessionGlanceSchema>
