import type { ConsoleAuthority } from './console-guard'
import Koa from 'koa'
import Router from '@koa/router'
import request from 'supertest'
import { z } from 'zod'
import { Replies } from '@xianlin/shared'
import { createLogger } from '../logger'
import type { Authority } from '../modules/auth/authority'
import { endpoint, mount, type RouteTable } from './endpoint'
import { errorHandler } from './error-handler'
import type { AppState } from './types'

/** A small app with public routes whose handlers answer what each test says. */
function appWith(checkReplies: boolean, reply: unknown) {
  const app = new Koa<AppState>()
  const log = createLogger('silent')
  app.use(async (ctx, next) => {
    ctx.state.log = log
    await next()
  })
  app.use(errorHandler())
  const router = new Router<AppState>()
  const routes: RouteTable = [
    ['get', '/reminder', endpoint({ access: 'public', reply: Replies.reminder, handler: () => reply as never })],
    ['get', '/empty', endpoint({ access: 'public', reply: 'empty', handler: () => reply as never })],
    ['get', '/strict', endpoint({ access: 'public', reply: z.object({ n: z.number().int() }), handler: () => reply as never })],
  ]
  mount(router, { authority: {} as Authority, console: {} as ConsoleAuthority, checkReplies }, routes)
  app.use(router.routes())
  return request(app.callback())
}

describe('replies are checked against their declared schemas outside production', () => {
  it('a reply matching its schema is sent as it is', async () => {
    expect((await appWith(true, { reminder: true }).get('/reminder').expect(200)).body).toEqual({ reminder: true })
  })

  it('a reply its schema refuses is a 500 in development and tests, so a test that reaches it fails', async () => {
    const res = await appWith(true, { reminder: 'yes' }).get('/reminder').expect(500)
    expect(res.body.error.code).toBe('INTERNAL')
    await appWith(true, { n: 1.5 }).get('/strict').expect(500)
    await appWith(true, { anything: 1 }).get('/empty').expect(500)
  })

  it('production sends replies unchecked (the check costs time and the schemas were proven in tests)', async () => {
    expect((await appWith(false, { reminder: 'yes' }).get('/reminder').expect(200)).body).toEqual({ reminder: 'yes' })
  })
})
