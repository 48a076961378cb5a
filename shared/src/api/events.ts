import { z } from 'zod'

const id = z.string().regex(/^[0-9a-f]{24}$/)
const fen = z.number().int()

/** Where a member first came from (first touch, at registration). */
export const CHANNELS = ['invite', 'share_card', 'poster', 'leader', 'organic'] as const
export type Channel = (typeof CHANNELS)[number]

/**
 * The event catalogue (DESIGN.md, Analytics for operators; #16): every analytics event, the step of
 * the growth path it measures (acquire → cultivate → convert → retain → fission), who emits it, and
 * exactly its properties. Server events are emitted by the flow that causes them and never taken
 * from a client; only `visit`, `product_view`, `cart_view` and `checkout_start` come from the mini-program (rate-limited,
 * validated by `ClientEventRequestSchema`). Every stored event also carries its business day and
 * its member's lifecycle tier at the time (as the rollup job last stamped it; 新客 from registration).
 */
export const EVENT_CATALOGUE = {
  visit: { stage: 'acquire', source: 'client', about: '打开小程序的一个页面', props: z.object({ page: z.string(), scene: z.string().optional(), channel: z.enum(['invite', 'share', 'poster', 'leader', 'organic']).optional() }) },
  product_view: { stage: 'cultivate', source: 'client', about: '查看商品详情', props: z.object({ productId: id }) },
  share: { stage: 'fission', source: 'server', about: '生成分享卡片', props: z.object({ page: z.string(), targetId: z.string().nullable() }) },
  share_open: { stage: 'fission', source: 'server', about: '他人打开分享（每人一次）', props: z.object({ shareId: z.string(), sharerId: id }) },
  register: { stage: 'acquire', source: 'server', about: '新会员注册，带首次触达渠道', props: z.object({ source: z.string(), channel: z.enum(CHANNELS) }) },
  login: { stage: 'retain', source: 'server', about: '登录', props: z.object({ source: z.string() }) },
  phone_bound: { stage: 'cultivate', source: 'server', about: '首次绑定手机号', props: z.object({ source: z.enum(['wechat', 'typed']) }) },
  checkin: { stage: 'retain', source: 'server', about: '每日签到', props: z.object({ day: z.string(), cycleDay: z.number().int(), streak: z.number().int() }) },
  makeup: { stage: 'retain', source: 'server', about: '补签', props: z.object({ day: z.string(), costPoints: z.number().int() }) },
  group_open: { stage: 'convert', source: 'server', about: '开团下单', props: z.object({ activityId: id, groupId: id }) },
  group_join: { stage: 'convert', source: 'server', about: '参团下单', props: z.object({ activityId: id, groupId: id }) },
  solo_order: { stage: 'convert', source: 'server', about: '单独购买下单（购物车之前）', props: z.object({ productId: id, orderId: id, quantity: z.number().int() }) },
  add_to_cart: { stage: 'convert', source: 'server', about: '加入购物车', props: z.object({ productId: id, day: z.string(), quantity: z.number().int() }) },
  cart_view: { stage: 'convert', source: 'client', about: '查看购物车', props: z.object({ items: z.number().int() }) },
  checkout_start: { stage: 'convert', source: 'client', about: '进入结算页', props: z.object({ lines: z.number().int() }) },
  basket_order: { stage: 'convert', source: 'server', about: '购物车下单（一单多件）', props: z.object({ orderId: id, lines: z.number().int(), units: z.number().int(), fen }) },
  payment: { stage: 'convert', source: 'server', about: '订单支付成功', props: z.object({ orderId: id, fen }) },
  group_success: { stage: 'convert', source: 'server', about: '拼团成功（成团用时，是否差一人自动成团）', props: z.object({ groupId: id, activityId: id, size: z.number().int(), openMinutes: z.number().int(), autoFilled: z.boolean() }) },
  group_fail: { stage: 'convert', source: 'server', about: '拼团失败（到期未满）', props: z.object({ groupId: id, activityId: id, size: z.number().int(), openMinutes: z.number().int() }) },
  refund: { stage: 'convert', source: 'server', about: '订单退款成功', props: z.object({ orderId: id, fen, afterPickup: z.boolean() }) },
  pickup: { stage: 'retain', source: 'server', about: '到店或团长处提货', props: z.object({ orderId: id, at: z.enum(['store', 'leader']) }) },
  redemption: { stage: 'retain', source: 'server', about: '积分商城兑换券核销', props: z.object({ itemId: z.string(), item: z.string(), points: z.number().int() }) },
  coupon_granted: { stage: 'cultivate', source: 'server', about: '发放优惠券', props: z.object({ couponId: id, templateId: id, source: z.string() }) },
  coupon_used: { stage: 'convert', source: 'server', about: '优惠券随订单支付使用', props: z.object({ couponId: id, orderId: id }) },
  level_up: { stage: 'retain', source: 'server', about: '会员升级', props: z.object({ level: z.string() }) },
  invitation_reward: { stage: 'fission', source: 'server', about: '邀请奖励到账', props: z.object({ key: z.string(), points: z.number().int() }) },
} as const satisfies Record<string, { stage: 'acquire' | 'cultivate' | 'convert' | 'retain' | 'fission'; source: 'client' | 'server'; about: string; props: z.ZodType }>

export type EventName = keyof typeof EVENT_CATALOGUE
export const EVENT_NAMES = Object.keys(EVENT_CATALOGUE) as EventName[]
/** The properties of event `N`, as its catalogue entry says. */
export type EventProps<N extends EventName> = z.infer<(typeof EVENT_CATALOGUE)[N]['props']>

/**
 * Events the mini-program reports itself, each with exactly its properties; every other event is
 * emitted by the server. Nothing else is stored from an anonymous caller.
 */
export const ClientEventRequestSchema = z.discriminatedUnion('name', [
  z.strictObject({
    name: z.literal('visit'),
    props: z.strictObject({
      page: z.string().regex(/^[a-z][a-z0-9_/-]{0,59}$/, 'a page path'),
      scene: z.string().max(64).optional(),
      channel: z.enum(['invite', 'share', 'poster', 'leader', 'organic']).optional(),
    }),
  }),
  z.strictObject({ name: z.literal('product_view'), props: z.strictObject({ productId: z.string().regex(/^[0-9a-f]{24}$/, 'a product id') }) }),
  z.strictObject({ name: z.literal('cart_view'), props: z.strictObject({ items: z.number().int().min(0).max(5000) }) }),
  z.strictObject({ name: z.literal('checkout_start'), props: z.strictObject({ lines: z.number().int().min(1).max(50) }) }),
])
export type ClientEventRequest = z.infer<typeof ClientEventRequestSchema>
