import {
  AssignStaffRequestSchema,
  CreateStaffInvitationRequestSchema,
  CreateStoreRequestSchema,
  IdParamsSchema,
  InvitationCodeParamsSchema,
  Replies,
  StoreStaffParamsSchema,
  UpdateStoreRequestSchema,
  UserIdParamsSchema,
} from '@xianlin/shared'
import { endpoint, type RouteTable } from '../../http/endpoint'
import { CODE_LOOKUPS } from '../../http/rate-limit'
import { recordAudit } from '../audit/audit.service'
import { adminStores, assignStaff, listStores, removeStaff, updateStore, upsertStore } from './stores.service'
import type { Services } from '../../services'

export function storesRoutes(s: Services): RouteTable {
  return [
    ['get', '/api/stores', endpoint({ reply: Replies.stores, access: 'public', handler: async () => ({ stores: await listStores() }) })],
    // 运营后台 → 门店与店员
    ['get', '/api/admin/stores', endpoint({ reply: Replies.adminStores, access: { console: 'stores' }, handler: async () => ({ stores: await adminStores() }) })],
    [
      'post',
      '/api/admin/stores',
      endpoint({ reply: Replies.store, access: { console: 'stores' }, body: CreateStoreRequestSchema, status: 201, handler: async ({ body }) => ({ store: await upsertStore(body) }) }),
    ],
    [
      'patch',
      '/api/admin/stores/:id',
      endpoint({
        reply: Replies.adminStore,
        access: { console: 'stores' },
        params: IdParamsSchema,
        body: UpdateStoreRequestSchema,
        handler: async ({ params, body }) => {
          const { before, after } = await updateStore(params.id, body)
          await recordAudit({ actorId: null, action: 'store.update', targetType: 'store', targetId: params.id, outcome: 'updated', details: { before: { ...before, staff: undefined }, after: { ...after, staff: undefined } }, at: new Date() })
          return { store: after }
        },
      }),
    ],
    [
      'post',
      '/api/admin/stores/:id/invitations',
      endpoint({
        reply: Replies.staffInvitation,
        access: { console: 'stores' },
        params: IdParamsSchema,
        body: CreateStaffInvitationRequestSchema.optional(),
        status: 201,
        handler: async ({ params, body, actor }) => {
          const invitation = await s.staffInvitations.create(params.id, body?.position ?? 'clerk', actor.username)
          // The code itself stays out of the audit trail: it is a one-time secret until used.
          await recordAudit({ actorId: null, action: 'staff.invite', targetType: 'store', targetId: params.id, outcome: 'created', details: { position: invitation.position, expiresAt: invitation.expiresAt }, at: new Date() })
          return { invitation }
        },
      }),
    ],
    [
      'delete',
      '/api/admin/stores/:id/staff/:userId',
      endpoint({
        reply: 'empty',
        access: { console: 'stores' },
        params: StoreStaffParamsSchema,
        handler: async ({ params }) => {
          const before = await removeStaff(params.id, params.userId)
          s.authority.forget(params.userId)
          await recordAudit({ actorId: null, action: 'staff.remove', targetType: 'user', targetId: params.userId, outcome: 'removed', details: { before: { storeIds: before }, after: { storeIds: before.filter((id) => id !== params.id) } }, at: new Date() })
        },
      }),
    ],
    [
      'put',
      '/api/admin/staff/:userId',
      endpoint({
        reply: Replies.staffAssigned,
        access: { console: 'stores' },
        params: UserIdParamsSchema,
        body: AssignStaffRequestSchema,
        handler: async ({ params, body }) => {
          const user = await assignStaff(params.userId, body.storeIds, body.position)
          s.authority.forget(params.userId)
          return { user }
        },
      }),
    ],
    // A clerk opens the invitation in the mini-program, signed in with WeChat, and accepts it.
    [
      'get',
      '/api/staff/invitations/:code',
      endpoint({ reply: Replies.staffInvitation, access: 'signed-in', rateLimit: CODE_LOOKUPS, params: InvitationCodeParamsSchema, handler: async ({ params }) => ({ invitation: await s.staffInvitations.preview(params.code) }) }),
    ],
    [
      'post',
      '/api/staff/invitations/:code/accept',
      endpoint({
        reply: Replies.staffInvitation,
        access: 'signed-in',
        rateLimit: CODE_LOOKUPS,
        params: InvitationCodeParamsSchema,
        handler: async ({ params, actor }) => ({ invitation: await s.staffInvitations.accept(params.code, actor.userId) }),
      }),
    ],
  ]
}
