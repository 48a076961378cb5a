import type {
  AddToCartRequest,
  AfterSaleRequest,
  ArrivalRequest,
  LineUnits,
  BindPhoneRequest,
  CheckoutRequest,
  ClientEventRequest,
  CouponListQuery,
  CreateReviewRequest,
  CreateShareRequest,
  DevLoginRequest,
  LeaderApplicationRequest,
  MallItemQuery,
  MergeCartRequest,
  OrderListQuery,
  ProductListQuery,
  QuoteRequest,
  ReminderRequest,
  RemoveCartLinesRequest,
  Reply,
  UpdateCartLineRequest,
  VoucherListQuery,
  WechatLoginRequest,
} from '@xianlin/shared'
import { request } from './request'

export { ApiError, apiUrl } from './request'

/**
 * The typed API client: one function per route; request types and replies (`Reply<'…'>`, the
 * schemas the server checks its replies against) come from `shared/`.
 */
export const api = {
  auth: {
    wechat: (body: WechatLoginRequest) =>
      request<Reply<'auth'>>('/api/auth/wechat', { method: 'POST', data: body, auth: false }),
    /** Which sign-ins the server offers (the demo one only in development). */
    methods: () => request<Reply<'authMethods'>>('/api/auth/methods', { auth: false }),
    dev: (body: DevLoginRequest) => request<Reply<'auth'>>('/api/auth/dev', { method: 'POST', data: body, auth: false }),
  },
  me: () => request<Reply<'me'>>('/api/me'),
  phone: {
    /** The getPhoneNumber button's code (or, in the H5 demo, a typed number). */
    bind: (body: BindPhoneRequest) => request<Reply<'phone'>>('/api/me/phone', { method: 'POST', data: body }),
    unbind: () => request<Reply<'phone'>>('/api/me/phone', { method: 'DELETE' }),
  },
  notices: {
    list: (before?: string) => request<Reply<'notices'>>(`/api/notices${before ? `?before=${encodeURIComponent(before)}` : ''}`),
    unread: () => request<Reply<'noticesUnread'>>('/api/notices/unread'),
    readAll: () => request<Reply<'noticesUnread'>>('/api/notices/read', { method: 'POST' }),
    addConsent: () => request<Reply<'noticeConsents'>>('/api/notices/consents', { method: 'POST' }),
  },
  /** 我的 → 设置: whether the member takes campaign offers and messages (用户运营). */
  campaigns: {
    welcome: () => request<Reply<'welcomeOffer'>>('/api/campaigns/welcome'),
  },
  marketing: {
    get: () => request<Reply<'marketingOptOut'>>('/api/me/marketing'),
    set: (optOut: boolean) => request<Reply<'marketingOptOut'>>('/api/me/marketing', { method: 'PUT', data: { optOut } }),
  },
  birthday: {
    get: () => request<Reply<'birthday'>>('/api/me/birthday'),
    set: (body: { month: number; day: number }) => request<Reply<'birthday'>>('/api/me/birthday', { method: 'PUT', data: body }),
  },
  reviews: {
    mine: (orderId: string) => request<Reply<'myReview'>>(`/api/orders/${orderId}/review`),
    create: (orderId: string, body: CreateReviewRequest) => request<Reply<'myReview'>>(`/api/orders/${orderId}/review`, { method: 'POST', data: body }),
    ofProduct: (productId: string, cursor?: string) => request<Reply<'productReviews'>>(`/api/products/${productId}/reviews${cursor ? `?cursor=${cursor}` : ''}`, { auth: false }),
  },
  /** 注销账号: confirmed in words. */
  deleteAccount: () => request<void>('/api/me/deletion', { method: 'POST', data: { confirm: '注销账号' } }),
  /** The rules in force, as shoppers' pages quote them. */
  rules: () => request<Reply<'publicRules'>>('/api/rules', { auth: false }),
  /** Reports a visit or a product view; analytics never get in the shopper's way. */
  track: (body: ClientEventRequest) => request<void>('/api/events', { method: 'POST', data: body }).catch(() => undefined),
  checkins: {
    month: (month?: string) => request<Reply<'checkinMonth'>>(`/api/checkins${month ? `?month=${month}` : ''}`),
    checkIn: () => request<Reply<'checkin'>>('/api/checkins', { method: 'POST' }),
    makeup: (date: string) => request<Reply<'checkin'>>('/api/checkins/makeup', { method: 'POST', data: { date } }),
    reminder: (body: ReminderRequest) => request<Reply<'reminder'>>('/api/checkins/reminder', { method: 'POST', data: body }),
  },
  points: {
    summary: () => request<Reply<'pointsSummary'>>('/api/points'),
    ledger: (cursor?: number | null) => request<Reply<'ledger'>>(`/api/points/ledger?limit=20${cursor ? `&cursor=${cursor}` : ''}`),
  },
  membership: () => request<Reply<'membership'>>('/api/membership'),
  coupons: (state: CouponListQuery['state']) => request<Reply<'coupons'>>(`/api/coupons?state=${state}`),
  couponClaims: {
    view: (templateId: string) => request<Reply<'couponClaim'>>(`/api/coupon-claims/${templateId}`),
    claim: (templateId: string) => request<Reply<'couponClaim'>>(`/api/coupon-claims/${templateId}`, { method: 'POST' }),
  },
  mall: {
    items: (query: MallItemQuery = {}) => {
      const qs = Object.entries(query)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
        .join('&')
      return request<Reply<'mallItems'>>(`/api/mall/items${qs ? `?${qs}` : ''}`)
    },
    item: (id: string) => request<Reply<'mallItem'>>(`/api/mall/items/${id}`),
    redeem: (id: string, idempotencyKey: string) =>
      request<Reply<'voucher'>>(`/api/mall/items/${id}/redeem`, { method: 'POST', data: { idempotencyKey } }),
  },
  vouchers: {
    list: (state: VoucherListQuery['state']) => request<Reply<'vouchers'>>(`/api/vouchers?state=${state}`),
    get: (code: string) => request<Reply<'voucher'>>(`/api/vouchers/${code}`),
    cancel: (code: string) => request<Reply<'voucher'>>(`/api/vouchers/${code}/cancel`, { method: 'POST' }),
  },
  staff: {
    redeem: (code: string, storeId?: string) =>
      request<Reply<'staffRedemption'>>('/api/staff/redemptions', { method: 'POST', data: storeId ? { code, storeId } : { code } }),
    today: () => request<Reply<'staffRedemptions'>>('/api/staff/redemptions'),
    /** What a code is (voucher or pickup) and whether it can be handed over here; changes nothing. */
    code: (code: string, storeId?: string) => request<Reply<'staffCode'>>(`/api/staff/codes/${encodeURIComponent(code.trim())}${storeId ? `?storeId=${storeId}` : ''}`),
    invitation: (code: string) => request<Reply<'staffInvitation'>>(`/api/staff/invitations/${encodeURIComponent(code.trim())}`),
    acceptInvitation: (code: string) => request<Reply<'staffInvitation'>>(`/api/staff/invitations/${encodeURIComponent(code)}/accept`, { method: 'POST' }),
    /** A store pickup point's 备货单 and 到货确认. */
    stockList: (day: string, storeId: string) => request<Reply<'stockList'>>(`/api/staff/stock-list?day=${day}&storeId=${storeId}`),
    arrival: (body: ArrivalRequest) => request<Reply<'arrival'>>('/api/staff/arrivals', { method: 'POST', data: body }),
  },
  invites: {
    summary: () => request<Reply<'invites'>>('/api/invites'),
    /** Who an invite link is from and the new member's gift, for its landing. */
    invitation: (code: string) => request<Reply<'invitation'>>(`/api/invites/${encodeURIComponent(code)}`, { auth: false }),
    /** The poster's mini-program code is binary; pages download it with `requestHeaders`. */
    posterPath: '/api/invites/poster',
  },
  shares: {
    create: (body: CreateShareRequest) => request<Reply<'share'>>('/api/shares', { method: 'POST', data: body }),
    open: (shareId: string) => request<Reply<'shareOpened'>>(`/api/shares/${shareId}/open`, { method: 'POST' }),
  },
  assists: {
    start: (productId: string) => request<Reply<'assist'>>('/api/assists', { method: 'POST', data: { productId } }),
    get: (id: string) => request<Reply<'assist'>>(`/api/assists/${id}`),
    help: (id: string) => request<Reply<'assist'>>(`/api/assists/${id}/help`, { method: 'POST' }),
  },
  groupbuys: {
    list: () => request<Reply<'activities'>>('/api/groupbuys', { auth: false }),
    get: (id: string) => request<Reply<'activity'>>(`/api/groupbuys/${id}`, { auth: false }),
    group: (id: string) => request<Reply<'group'>>(`/api/groups/${id}`),
  },
  orders: {
    quote: (body: QuoteRequest) => request<Reply<'quote'>>('/api/orders/quote', { method: 'POST', data: body }),
    checkout: (body: CheckoutRequest) => request<Reply<'checkout'>>('/api/orders', { method: 'POST', data: body }),
    list: (state: NonNullable<OrderListQuery['state']>) => request<Reply<'orders'>>(`/api/orders?state=${state}`),
    get: (id: string) => request<Reply<'order'>>(`/api/orders/${id}`),
    payment: (id: string) => request<Reply<'checkout'>>(`/api/orders/${id}/payment`, { method: 'POST' }),
    /** H5 only: the development server's stand-in for the WeChat wallet. */
    devPay: (id: string) => request<Reply<'order'>>(`/api/dev/pay/${id}`, { method: 'POST' }),
  },
  /** 售后: what a claim would refund, the claim, and the member's claims with their progress. */
  afterSales: {
    quote: (orderId: string, line: number, quantity: number) => request<Reply<'afterSaleQuote'>>(`/api/orders/${orderId}/after-sales/quote?line=${line}&quantity=${quantity}`),
    request: (orderId: string, body: AfterSaleRequest) => request<Reply<'afterSale'>>(`/api/orders/${orderId}/after-sales`, { method: 'POST', data: body }),
    mine: () => request<Reply<'afterSales'>>('/api/after-sales'),
  },
  /** 接龙: a leader's session as its chat sees it (public: the share card opens it). */
  chain: (code: string, day: string, products?: string[]) =>
    request<Reply<'chain'>>(`/api/chains/${encodeURIComponent(code)}/${day}${products?.length ? `?products=${products.join(',')}` : ''}`, { auth: false }),
  pickups: {
    /** Hands an order over at the store: all still to hand over, or the `lines` named. */
    confirm: (code: string, storeId?: string, lines?: LineUnits[]) => request<Reply<'order'>>('/api/staff/pickups', { method: 'POST', data: { code, ...(storeId ? { storeId } : {}), ...(lines ? { lines } : {}) } }),
  },
  leaders: {
    apply: (body: LeaderApplicationRequest) => request<Reply<'leaderApplication'>>('/api/leaders/applications', { method: 'POST', data: body }),
    application: () => request<Reply<'myLeaderApplication'>>('/api/leaders/application'),
    /** The pickup point a leader's link binds to, for its landing. */
    link: (code: string) => request<Reply<'leaderLink'>>(`/api/leader-links/${encodeURIComponent(code)}`, { auth: false }),
    bind: (code: string, switchLeader = false) => request<Reply<'myLeader'>>('/api/leaders/bind', { method: 'POST', data: { code, switch: switchLeader } }),
    mine: () => request<Reply<'myLeaderWithHistory'>>('/api/leaders/mine'),
    centre: () => request<Reply<'leaderCentre'>>('/api/leader/centre'),
    pickup: (code: string, lines?: LineUnits[]) => request<Reply<'order'>>('/api/leader/pickups', { method: 'POST', data: lines ? { code, lines } : { code } }),
    /** What a pickup code is: its lines, what is left to hand over, and whether it is this point's. */
    code: (code: string) => request<Reply<'staffCode'>>(`/api/leader/codes/${encodeURIComponent(code)}`),
    notReceived: (orderId: string, lines: LineUnits[], idempotencyKey: string) => request<Reply<'order'>>(`/api/leader/orders/${orderId}/not-received`, { method: 'POST', data: { lines, idempotencyKey } }),
    /** 售后 at the leader's point, and approving one below the rules' amount. */
    afterSales: () => request<Reply<'afterSales'>>('/api/leader/after-sales'),
    approveAfterSale: (id: string) => request<Reply<'afterSale'>>(`/api/leader/after-sales/${id}/approve`, { method: 'POST', data: {} }),
    stockList: (day: string) => request<Reply<'stockList'>>(`/api/leader/stock-list?day=${day}`),
    arrival: (body: ArrivalRequest) => request<Reply<'arrival'>>('/api/leader/arrivals', { method: 'POST', data: body }),
    withdraw: (amountFen: number, idempotencyKey: string) =>
      request<Reply<'withdrawal'>>('/api/leader/withdrawals', { method: 'POST', data: { amountFen, idempotencyKey } }),
  },
  stores: () => request<Reply<'stores'>>('/api/stores', { auth: false }),
  categories: () => request<Reply<'categories'>>('/api/categories', { auth: false }),
  /** 购物车: every answer is the basket checked and priced afresh by the server. */
  cart: {
    view: () => request<Reply<'cart'>>('/api/cart'),
    add: (body: AddToCartRequest) => request<Reply<'cart'>>('/api/cart/items', { method: 'POST', data: body }),
    update: (body: UpdateCartLineRequest) => request<Reply<'cart'>>('/api/cart/items', { method: 'PATCH', data: body }),
    remove: (body: RemoveCartLinesRequest) => request<Reply<'cart'>>('/api/cart/remove', { method: 'POST', data: body }),
    select: (selected: boolean) => request<Reply<'cart'>>('/api/cart/select', { method: 'POST', data: { selected } }),
    merge: (body: MergeCartRequest) => request<Reply<'cartMerged'>>('/api/cart/merge', { method: 'POST', data: body }),
    /** A signed-out visitor's basket from the device, priced as a guest's. */
    preview: (body: MergeCartRequest) => request<Reply<'cart'>>('/api/cart/preview', { method: 'POST', data: body, auth: false }),
  },
  products: (query: ProductListQuery = {}) => {
    const qs = Object.entries(query)
      .filter(([, v]) => v !== undefined && v !== '')
      .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
      .join('&')
    return request<Reply<'products'>>(`/api/products${qs ? `?${qs}` : ''}`)
  },
  /** 商品详情, priced for the signed-in shopper's level (a guest sees the first level's price). */
  product: (id: string) => request<Reply<'productDetail'>>(`/api/products/${id}`),
}
