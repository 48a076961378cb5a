import type { Middleware } from 'koa'
import getRawBody from 'raw-body'
import type { AppState } from '../../http/types'
import { AppError } from '../../core/app-error'
import { PayError } from '../../wechat/pay/pay-client'
import type { Services } from '../../services'

export const PAY_NOTIFY_PATH = '/api/pay/notify'

/**
 * `POST /api/pay/notify`, WeChat Pay's notifications. Access: public, because WeChat calls it;
 * it is authenticated by the signature instead, verified over the raw bytes (so it is mounted
 * before the JSON body parser). Answers 204 once processed; 4xx/5xx `{code: FAIL}` otherwise,
 * and WeChat retries, which the order service absorbs (every step is idempotent).
 */
export function payNotify(s: Services): Middleware<AppState> {
  return async (ctx, next) => {
    if (ctx.path !== PAY_NOTIFY_PATH) return next()
    if (ctx.method !== 'POST') throw new AppError('METHOD_NOT_ALLOWED')
    const fail = (status: number, message: string) => {
      ctx.status = status
      ctx.body = { code: 'FAIL', message }
    }
    let raw: string
    try {
      raw = await getRawBody(ctx.req, { limit: '64kb', encoding: 'utf8' })
    } catch {
      return fail(400, '请求体无效')
    }
    let notification
    try {
      notification = s.pay.parseNotification(ctx.headers, raw)
    } catch (err) {
      ctx.state.log?.warn({ err: (err as Error).message }, 'pay notification rejected')
      return fail(err instanceof PayError ? err.status || 400 : 400, '验签或解密失败')
    }
    try {
      await s.orders.handleNotification(notification)
    } catch (err) {
      ctx.state.log?.error({ err, id: notification.id }, 'pay notification processing failed')
      return fail(500, '处理失败')
    }
    ctx.status = 204
  }
}
