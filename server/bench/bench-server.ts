import Router from '@koa/router'
import { Types } from 'mongoose'
import { configOrExit, startServer } from '../src/main'
import { getUser } from '../src/modules/users/users.service'
import type { AppState } from '../src/http/types'

/**
 * The server under benchmark: the real app on the embedded database, plus one bare route that
 * does a single `findOne` by `_id` with no validation or auth, as the floor to compare against.
 */
async function run() {
  const server = await startServer(configOrExit(), (app) => {
    const baseline = new Router<AppState>()
    baseline.get('/bench/baseline/:id', async (ctx) => {
      const user = await getUser(new Types.ObjectId(ctx.params.id).toHexString())
      ctx.body = { id: user.id, nickname: user.nickname }
    })
    app.use(baseline.routes())
  })
  console.log(`database: ${server.database}\nbench server is running: open ${server.url}`)
  process.on('SIGTERM', () => void server.stop().then(() => process.exit(0)))
}

void run()
