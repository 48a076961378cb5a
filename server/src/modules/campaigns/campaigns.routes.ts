import { CampaignStateRequestSchema, CreateCampaignSchema, IdParamsSchema, MarketingOptOutSchema, Replies } from '@xianlin/shared'
import { endpoint, type RouteTable } from '../../http/endpoint'
import type { Services } from '../../services'

export function campaignsRoutes(s: Services): RouteTable {
  return [
    ['get', '/api/admin/campaigns', endpoint({ reply: Replies.campaigns, access: { console: 'campaigns' }, handler: async () => ({ campaigns: await s.campaigns.list() }) })],
    [
      'post',
      '/api/admin/campaigns',
      endpoint({ reply: Replies.campaign, access: { console: 'campaigns' }, body: CreateCampaignSchema, status: 201, handler: async ({ actor, body }) => ({ campaign: await s.campaigns.create(actor.operatorId, body) }) }),
    ],
    [
      'post',
      '/api/admin/campaigns/:id/state',
      endpoint({ reply: Replies.campaign, access: { console: 'campaigns' }, params: IdParamsSchema, body: CampaignStateRequestSchema, handler: async ({ params, body }) => ({ campaign: await s.campaigns.setState(params.id, body.state) }) }),
    ],
    [
      'post',
      '/api/admin/campaigns/:id/run',
      endpoint({ reply: Replies.campaignRun, access: { console: 'campaigns' }, params: IdParamsSchema, handler: ({ params }) => s.campaigns.runNow(params.id, s.clock()) }),
    ],
    ['get', '/api/admin/campaigns/:id/uplift', endpoint({ reply: Replies.campaignUplift, access: { console: 'campaigns' }, params: IdParamsSchema, handler: ({ params }) => s.campaigns.uplift(params.id) })],
    ['get', '/api/campaigns/welcome', endpoint({ reply: Replies.welcomeOffer, access: 'public', handler: ({ actor }) => s.campaigns.welcomeOffer(actor?.userId ?? null) })],
    ['get', '/api/me/marketing', endpoint({ reply: Replies.marketingOptOut, access: 'signed-in', handler: ({ actor }) => s.campaigns.optOutOf(actor.userId) })],
    ['put', '/api/me/marketing', endpoint({ reply: Replies.marketingOptOut, access: 'signed-in', body: MarketingOptOutSchema, handler: ({ actor, body }) => s.campaigns.setOptOut(actor.userId, body.optOut) })],
  ]
}
