import Koa from 'koa'
import Router from '@koa/router'
import cors from '@koa/cors'
import { koaBody } from 'koa-body'
import helmet from 'koa-helmet'
import fs from 'node:fs'
import type { AppConfig } from './config'
import { createLogger, type Logger } from './logger'
import { createServices, type ServiceOverrides, type Services } from './services'
import { errorHandler } from './http/error-handler'
import { requestContext } from './http/request-context'
import { mount } from './http/endpoint'
import { rateLimitPerIp } from './http/rate-limit'
import { requireJson } from './http/require-json'
import { httpEdges } from './http/http-edges'
import { databaseGate } from './http/database-gate'
import { staticFiles } from './http/static-files'
import { consoleFiles } from './http/console-files'
import { AppError } from './core/app-error'
import type { AppState } from './http/types'
import { healthRoutes } from './modules/health/health.routes'
import { apiDocsRoutes, type DocumentedRoute } from './http/openapi'
import { createMetrics, metricsRoutes, type Metrics } from './http/metrics'
import { databaseConnected } from './db/connection'
import { authRoutes } from './modules/auth/auth.routes'
import { eventsRoutes } from './modules/events/events.routes'
import { storesRoutes } from './modules/stores/stores.routes'
import { cartRoutes } from './modules/cart/cart.routes'
import { sessionsRoutes } from './modules/sessions/sessions.routes'
import { catalogRoutes } from './modules/catalog/catalog.routes'
import { pointsRoutes } from './modules/points/points.routes'
import { membershipRoutes } from './modules/membership/membership.routes'
import { checkinRoutes } from './modules/checkin/checkin.routes'
import { couponsRoutes } from './modules/coupons/coupons.routes'
import { mallRoutes } from './modules/mall/mall.routes'
import { referralRoutes } from './modules/referral/referral.routes'
import { phoneRoutes } from './modules/phone/phone.routes'
import { reviewsRoutes } from './modules/reviews/reviews.routes'
import { perksRoutes } from './modules/perks/perks.routes'
import { notificationsRoutes } from './modules/notifications/notifications.routes'
import { groupbuyRoutes } from './modules/groupbuy/groupbuy.routes'
import { ordersRoutes } from './modules/orders/orders.routes'
import { fulfilmentRoutes } from './modules/orders/fulfilment.routes'
import { payNotify } from './modules/orders/pay-notify'
import { leadersRoutes } from './modules/leaders/leaders.routes'
import { operatorsRoutes } from './modules/operators/operators.routes'
import { reportsRoutes } from './modules/reports/reports.routes'
import { campaignsRoutes } from './modules/campaigns/campaigns.routes'
import { membersRoutes } from './modules/members/members.routes'
import { rulesRoutes } from './modules/rules/rules.routes'
import { PHOTO_TYPES, PHOTO_UPLOAD_PATH, REVIEW_PHOTO_UPLOAD_PATH, photosRoutes } from './modules/photos/photos.routes'
import { productsRoutes } from './modules/catalog/products.routes'

export interface BuiltApp {
  app: Koa<AppState>
  services: Services
  /** Every API route as `[method, path, access, schemas]` (the fuzz and permission tests walk them all; `/api/docs` describes them). */
  routes: DocumentedRoute[]
  /** `/metrics`' figures; the scheduler reports its runs to them. */
  metrics: Metrics
}

/**
 * Builds the Koa app from a config object. It opens no port and no database: `main.ts` does
 * that, and tests call `app.callback()` directly. `extend` may add routes beside the API's (the
 * benchmark's): they are reached as an API route is, after the app's middleware and before the
 * console and H5 files are looked for.
 */
export function buildApp(config: AppConfig, opts: ServiceOverrides & { logger?: Logger; extend?: (app: Koa<AppState>, services: Services) => void } = {}): BuiltApp {
  const logger = opts.logger ?? createLogger(config.logLevel, config.logFormat)
  const services = createServices(config, logger, opts)
  const app = new Koa<AppState>()
  app.proxy = config.trustProxy

  const metrics = createMetrics()
  if (databaseConnected()) metrics.countDatabaseCommands()
  app.use(metrics.middleware())
  app.use(requestContext(logger))
  app.use(errorHandler())
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          // Taro's H5 shell sizes the root font with a small inline script.
          scriptSrc: ["'self'", "'unsafe-inline'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
        },
      },
      crossOriginEmbedderPolicy: false,
    }),
  )
  app.use(
    cors({
      origin: (ctx) => {
        const origin = ctx.get('origin')
        return config.corsOrigins.includes('*') || config.corsOrigins.includes(origin) ? origin : ''
      },
      allowHeaders: ['content-type', 'authorization', 'x-request-id'],
      exposeHeaders: ['x-request-id'],
      maxAge: 600,
    }),
  )

  app.use(httpEdges())
  app.use(databaseGate())
  app.use(payNotify(services))
  const router = new Router<AppState>()
  router.use('/api', requireJson({ paths: [PHOTO_UPLOAD_PATH, REVIEW_PHOTO_UPLOAD_PATH], types: PHOTO_TYPES }), koaBody({ json: true, multipart: false, urlencoded: false, text: false, jsonLimit: config.bodyLimit, jsonStrict: true }))
  router.use(['/api/auth/wechat', '/api/auth/dev', '/api/auth/refresh'], rateLimitPerIp('login', config.loginRateLimitPerMinute, services.clock))
  const mounted: DocumentedRoute[] = []
  for (const routes of [apiDocsRoutes(() => mounted), metricsRoutes(metrics, config.metricsToken, config.env === 'production'), healthRoutes(), authRoutes(services), eventsRoutes(services), storesRoutes(services), catalogRoutes(services), cartRoutes(services), sessionsRoutes(services), photosRoutes(services), productsRoutes(), pointsRoutes(services), membershipRoutes(services), checkinRoutes(services), couponsRoutes(services), mallRoutes(services), referralRoutes(services), phoneRoutes(services), reviewsRoutes(services), perksRoutes(services), notificationsRoutes(services), groupbuyRoutes(services), ordersRoutes(services), fulfilmentRoutes(services), leadersRoutes(services), operatorsRoutes(services), reportsRoutes(services), campaignsRoutes(services), membersRoutes(services), rulesRoutes(services)]) {
    mount(router, { authority: services.authority, console: services.operators, checkReplies: config.env !== 'production' }, routes)
    mounted.push(...routes.map(([method, path, build]) => [method, path, build.access, build.schemas] as const))
  }
  app.use(router.routes())
  app.use(router.allowedMethods({ throw: true, methodNotAllowed: () => new AppError('METHOD_NOT_ALLOWED'), notImplemented: () => new AppError('NOT_IMPLEMENTED') }))
  opts.extend?.(app, services)

  // The H5 build of the mini-program, so a browser can click through the shop at `/`.
  if (config.consoleDir && fs.existsSync(config.consoleDir)) app.use(consoleFiles(config.consoleDir))
  if (config.h5Dir && fs.existsSync(config.h5Dir)) app.use(staticFiles(config.h5Dir))
  return { app, services, routes: mounted, metrics }
}
