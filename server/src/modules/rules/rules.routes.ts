import { Replies, SaveRulesRequestSchema, publicRules } from '@xianlin/shared'
import { endpoint, type RouteTable } from '../../http/endpoint'
import type { Services } from '../../services'

/** 规则设置: read the rules in force, save a new version with a reason, see earlier versions. */
export function rulesRoutes(s: Services): RouteTable {
  return [
    // What shoppers' pages quote: the rules in force on this instance (the console's saves reach every instance within a minute).
    ['get', '/api/rules', endpoint({ reply: Replies.publicRules, access: 'public', handler: async () => ({ rules: publicRules(s.rules.view().rules) }) })],
    [
      'get',
      '/api/admin/rules',
      endpoint({
        reply: Replies.rules,
        access: { console: 'rules' },
        handler: async () => {
          await s.rules.refresh()
          return s.rules.view()
        },
      }),
    ],
    ['put', '/api/admin/rules', endpoint({ reply: Replies.rules, access: { console: 'rules' }, body: SaveRulesRequestSchema, handler: ({ actor, body }) => s.rules.save(body, { id: actor.operatorId, username: actor.username }) })],
    ['get', '/api/admin/rules/history', endpoint({ reply: Replies.rulesHistory, access: { console: 'rules' }, handler: () => s.rules.history() })],
  ]
}
