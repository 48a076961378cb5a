import type {
  AuthResponse,
  CheckinMonth,
  CheckinResult,
  ClientEventRequest,
  CouponListQuery,
  CouponView,
  LedgerResponse,
  MallItemQuery,
  MallItemView,
  StaffRedemptionView,
  VoucherListQuery,
  VoucherView,
  MembershipView,
  PointsSummary,
  ReminderRequest,
  DevLoginRequest,
  MeResponse,
  ProductListQuery,
  ProductListResponse,
  StoreListResponse,
  WechatLoginRequest,
  AssistView,
  CreateShareRequest,
  InviteSummary,
  ActivityView,
  QuoteRequest,
  CheckoutRequest,
  CheckoutResponse,
  GroupView,
  OrderListQuery,
  OrderView,
  QuoteResponse,
  LeaderApplicationRequest,
  LeaderApplicationView,
  LeaderCentre,
  MyLeaderView,
} from '@xianlin/shared'
import { request } from './request'

export { ApiError, apiUrl } from './request'

/** The typed API client: one function per route, request and reply types from `shared/`. */
export const api = {
  auth: {
    wechat: (body: WechatLoginRequest) =>
      request<AuthResponse>('/api/auth/wechat', { method: 'POST', data: body, auth: false }),
    dev: (body: DevLoginRequest) => request<AuthResponse>('/api/auth/dev', { method: 'POST', data: body, auth: false }),
  },
  me: () => request<MeResponse>('/api/me'),
  /** Reports a visit or a product view; analytics never get in the shopper's way. */
  track: (body: ClientEventRequest) => request<void>('/api/events', { method: 'POST', data: body }).catch(() => undefined),
  checkins: {
    month: (month?: string) => request<CheckinMonth>(`/api/checkins${month ? `?month=${month}` : ''}`),
    checkIn: () => request<{ checkin: CheckinResult }>('/api/checkins', { method: 'POST' }),
    makeup: (date: string) => request<{ checkin: CheckinResult }>('/api/checkins/makeup', { method: 'POST', data: { date } }),
    reminder: (body: ReminderRequest) => request<{ reminder: boolean }>('/api/checkins/reminder', { method: 'POST', data: body }),
  },
  points: {
    summary: () => request<PointsSummary>('/api/points'),
    ledger: (cursor?: number | null) => request<LedgerResponse>(`/api/points/ledger?limit=20${cursor ? `&cursor=${cursor}` : ''}`),
  },
  membership: () => request<MembershipView>('/api/membership'),
  coupons: (state: CouponListQuery['state']) => request<{ coupons: CouponView[] }>(`/api/coupons?state=${state}`),
  mall: {
    items: (query: MallItemQuery = {}) => {
      const qs = Object.entries(query)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
        .join('&')
      return request<{ items: MallItemView[] }>(`/api/mall/items${qs ? `?${qs}` : ''}`)
    },
    item: (id: string) => request<{ item: MallItemView }>(`/api/mall/items/${id}`),
    redeem: (id: string, idempotencyKey: string) =>
      request<{ voucher: VoucherView }>(`/api/mall/items/${id}/redeem`, { method: 'POST', data: { idempotencyKey } }),
  },
  vouchers: {
    list: (state: VoucherListQuery['state']) => request<{ vouchers: VoucherView[] }>(`/api/vouchers?state=${state}`),
    get: (code: string) => request<{ voucher: VoucherView }>(`/api/vouchers/${code}`),
    cancel: (code: string) => request<{ voucher: VoucherView }>(`/api/vouchers/${code}/cancel`, { method: 'POST' }),
  },
  staff: {
    redeem: (code: string, storeId?: string) =>
      request<{ redemption: StaffRedemptionView }>('/api/staff/redemptions', { method: 'POST', data: storeId ? { code, storeId } : { code } }),
    today: () => request<{ redemptions: StaffRedemptionView[] }>('/api/staff/redemptions'),
  },
  invites: {
    summary: () => request<InviteSummary>('/api/invites'),
    /** The poster's mini-program code is binary; pages download it with `requestHeaders`. */
    posterPath: '/api/invites/poster',
  },
  shares: {
    create: (body: CreateShareRequest) => request<{ shareId: string; path: string }>('/api/shares', { method: 'POST', data: body }),
    open: (shareId: string) => request<{ counted: boolean }>(`/api/shares/${shareId}/open`, { method: 'POST' }),
  },
  assists: {
    start: (productId: string) => request<{ assist: AssistView }>('/api/assists', { method: 'POST', data: { productId } }),
    get: (id: string) => request<{ assist: AssistView }>(`/api/assists/${id}`),
    help: (id: string) => request<{ assist: AssistView }>(`/api/assists/${id}/help`, { method: 'POST' }),
  },
  groupbuys: {
    list: () => request<{ activities: ActivityView[] }>('/api/groupbuys', { auth: false }),
    get: (id: string) => request<{ activity: ActivityView }>(`/api/groupbuys/${id}`, { auth: false }),
    group: (id: string) => request<{ group: GroupView }>(`/api/groups/${id}`),
  },
  orders: {
    quote: (body: QuoteRequest) => request<QuoteResponse>('/api/orders/quote', { method: 'POST', data: body }),
    checkout: (body: CheckoutRequest) => request<CheckoutResponse>('/api/orders', { method: 'POST', data: body }),
    list: (state: NonNullable<OrderListQuery['state']>) => request<{ orders: OrderView[] }>(`/api/orders?state=${state}`),
    get: (id: string) => request<{ order: OrderView }>(`/api/orders/${id}`),
    payment: (id: string) => request<CheckoutResponse>(`/api/orders/${id}/payment`, { method: 'POST' }),
    /** H5 only: the development server's stand-in for the WeChat wallet. */
    devPay: (id: string) => request<{ order: OrderView }>(`/api/dev/pay/${id}`, { method: 'POST' }),
  },
  pickups: {
    confirm: (code: string, storeId?: string) => request<{ order: OrderView }>('/api/staff/pickups', { method: 'POST', data: storeId ? { code, storeId } : { code } }),
  },
  leaders: {
    apply: (body: LeaderApplicationRequest) => request<{ application: LeaderApplicationView }>('/api/leaders/applications', { method: 'POST', data: body }),
    application: () => request<{ application: LeaderApplicationView | null; leader: boolean }>('/api/leaders/application'),
    bind: (code: string, switchLeader = false) => request<{ leader: MyLeaderView }>('/api/leaders/bind', { method: 'POST', data: { code, switch: switchLeader } }),
    mine: () => request<{ leader: MyLeaderView; history: Array<{ from: string | null; to: string; at: string }> }>('/api/leaders/mine'),
    centre: () => request<{ centre: LeaderCentre }>('/api/leader/centre'),
    pickup: (code: string) => request<{ order: OrderView }>('/api/leader/pickups', { method: 'POST', data: { code } }),
    withdraw: (amountFen: number, idempotencyKey: string) =>
      request<{ withdrawal: { id: string; amountFen: number; state: string; availableFen: number } }>('/api/leader/withdrawals', { method: 'POST', data: { amountFen, idempotencyKey } }),
  },
  stores: () => request<StoreListResponse>('/api/stores', { auth: false }),
  products: (query: ProductListQuery = {}) =>
    request<ProductListResponse>(
      `/api/products${query.category ? `?category=${encodeURIComponent(query.category)}` : ''}`,
      { auth: false },
    ),
}
