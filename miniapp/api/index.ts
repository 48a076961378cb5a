import type {
  AuthResponse,
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
  stores: () => request<StoreListResponse>('/api/stores', { auth: false }),
  products: (query: ProductListQuery = {}) =>
    request<ProductListResponse>(
      `/api/products${query.category ? `?category=${encodeURIComponent(query.category)}` : ''}`,
      { auth: false },
    ),
}
