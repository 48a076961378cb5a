import { BindInviterRequestSchema, CreateAssistRequestSchema, CreateShareRequestSchema, IdParamsSchema, InvitationReviewQuerySchema, InviteCodeParamsSchema, RejectInvitationRequestSchema, ShareParamsSchema, Replies } from '@xianlin/shared'
import { endpoint, type RouteTable } from '../../http/endpoint'
import { CODE_LOOKUPS } from '../../http/rate-limit'
import type { Services } from '../../services'
import { getUser } from '../users/users.service'

export function referralRoutes(s: Services): RouteTable {
  return [
    ['get', '/api/invites', endpoint({ reply: Replies.invites, access: 'signed-in', handler: ({ actor }) => s.referral.summary(actor.userId) })],
    [
      'get',
      '/api/invites/poster',
      endpoint({ reply: 'binary',
        access: 'signed-in',
        handler: async ({ actor, ctx }) => {
          const image = await s.referral.posterCode(actor.userId)
          ctx.type = image.contentType
          ctx.set('Cache-Control', 'private, max-age=86400')
          return image.bytes
        },
      }),
    ],
    // Public, for an invite link's landing (rate-limited like every code look-up).
    ['get', '/api/invites/:code', endpoint({ reply: Replies.invitation, access: 'public', rateLimit: CODE_LOOKUPS, params: InviteCodeParamsSchema, handler: async ({ params }) => ({ invitation: await s.referral.invitation(params.code) }) })],
    [
      'post',
      '/api/invites/bind',
      endpoint({ reply: Replies.inviteBound,
        access: 'signed-in',
        rateLimit: CODE_LOOKUPS,
        body: BindInviterRequestSchema,
        handler: async ({ actor, body }) => {
          const me = await getUser(actor.userId)
          return s.referral.bind({ id: me._id, createdAt: (me as unknown as { createdAt: Date }).createdAt }, body.inviter, body.shareId ?? null)
        },
      }),
    ],
    ['post', '/api/shares', endpoint({ reply: Replies.share, access: 'signed-in', body: CreateShareRequestSchema, status: 201, handler: ({ actor, body }) => s.shares.create(actor.userId, body) })],
    [
      'post',
      '/api/shares/:shareId/open',
      endpoint({ reply: Replies.shareOpened, access: 'signed-in', rateLimit: CODE_LOOKUPS, params: ShareParamsSchema, handler: ({ actor, params }) => s.shares.open(params.shareId, actor.userId) }),
    ],
    ['post', '/api/assists', endpoint({ reply: Replies.assist, access: 'signed-in', body: CreateAssistRequestSchema, status: 201, handler: async ({ actor, body }) => ({ assist: await s.assists.start(actor.userId, body.productId) }) })],
    // Public: a friend's link shows the product, who asks and the progress before any sign-in.
    ['get', '/api/assists/:id', endpoint({ reply: Replies.assist, access: 'public', rateLimit: CODE_LOOKUPS, params: IdParamsSchema, handler: async ({ actor, params }) => ({ assist: await s.assists.get(params.id, actor?.userId ?? null) }) })],
    ['post', '/api/assists/:id/help', endpoint({ reply: Replies.assist, access: 'signed-in', rateLimit: CODE_LOOKUPS, params: IdParamsSchema, handler: async ({ actor, params }) => ({ assist: await s.assists.help(params.id, actor.userId) }) })],
    // 运营后台: the invitations velocity rules held for review; approving pays, rejecting says why.
    ['get', '/api/admin/referral/reviews', endpoint({ reply: Replies.invitationReviews, access: { console: 'members' }, query: InvitationReviewQuerySchema, handler: async ({ query }) => ({ reviews: await s.referral.reviews(query.state) }) })],
    [
      'post',
      '/api/admin/referral/reviews/:id/approve',
      endpoint({ reply: 'empty', access: { console: 'members' }, params: IdParamsSchema, status: 204, handler: async ({ actor, params }) => void (await s.referral.decide(actor.username, params.id, { approve: true })) }),
    ],
    [
      'post',
      '/api/admin/referral/reviews/:id/reject',
      endpoint({ reply: 'empty', access: { console: 'members' }, params: IdParamsSchema, body: RejectInvitationRequestSchema, status: 204, handler: async ({ actor, params, body }) => void (await s.referral.decide(actor.username, params.id, { approve: false, note: body.note })) }),
    ],
  ]
}
