import { AddToCartRequestSchema, MergeCartRequestSchema, RemoveCartLinesRequestSchema, Replies, SelectCartRequestSchema, UpdateCartLineRequestSchema } from '@xianlin/shared'
import { endpoint, type RouteTable } from '../../http/endpoint'
import type { Services } from '../../services'

/** 购物车: the signed-in member's basket; every reply is the basket checked and priced afresh. */
export function cartRoutes(s: Services): RouteTable {
  return [
    ['get', '/api/cart', endpoint({ reply: Replies.cart, access: 'signed-in', handler: async ({ actor }) => ({ cart: await s.cart.view(actor.userId) }) })],
    ['post', '/api/cart/items', endpoint({ reply: Replies.cart, access: 'signed-in', body: AddToCartRequestSchema, handler: async ({ actor, body }) => ({ cart: await s.cart.add(actor.userId, body) }) })],
    ['patch', '/api/cart/items', endpoint({ reply: Replies.cart, access: 'signed-in', body: UpdateCartLineRequestSchema, handler: async ({ actor, body }) => ({ cart: await s.cart.update(actor.userId, body) }) })],
    ['post', '/api/cart/remove', endpoint({ reply: Replies.cart, access: 'signed-in', body: RemoveCartLinesRequestSchema, handler: async ({ actor, body }) => ({ cart: await s.cart.remove(actor.userId, body) }) })],
    ['post', '/api/cart/select', endpoint({ reply: Replies.cart, access: 'signed-in', body: SelectCartRequestSchema, handler: async ({ actor, body }) => ({ cart: await s.cart.selectAll(actor.userId, body.selected) }) })],
    // A visitor's basket lives on the device; this prices it and says what cannot be bought, without signing in.
    ['post', '/api/cart/preview', endpoint({ reply: Replies.cart, access: 'public', body: MergeCartRequestSchema, handler: async ({ body }) => ({ cart: await s.cart.preview(body) }) })],
    ['post', '/api/cart/merge', endpoint({ reply: Replies.cartMerged, access: 'signed-in', body: MergeCartRequestSchema, handler: ({ actor, body }) => s.cart.merge(actor.userId, body) })],
  ]
}
