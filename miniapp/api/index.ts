import type {
  AuthResponse,
  ClientEventRequest,
  DevLoginRequest,
  MeResponse,
  ProductListQuery,
  ProductListResponse,
  StoreListResponse,
  WechatLoginRequest,
} from '@xianlin/shared'
import { request } from './request'

export { ApiError } from './request'

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
  stores: () => request<StoreListResponse>('/api/stores', { auth: false }),
  products: (query: ProductListQuery = {}) =>
    request<ProductListResponse>(
      `/api/products${query.category ? `?category=${encodeURIComponent(query.category)}` : ''}`,
      { auth: false },
    ),
}
