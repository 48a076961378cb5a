import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core'
import mongoose from 'mongoose'
import sharp from 'sharp'
import { CAMPAIGN_TEMPLATES, businessDay, startOfBusinessDay } from '@xianlin/shared'
import { REPO_ROOT } from '../../src/paths'
import { ensureH5Build } from '../../scripts/h5-build'
import { testDatabaseUri } from '../harness'
import { DEMO_OPERATOR } from '../../src/seed/demo-operator'
import { startServerProcess, type ServerProcess } from '../server-process'

jest.setTimeout(300_000)

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const ARTIFACTS = path.join(REPO_ROOT, 'artifacts', 'e2e')

let server: ServerProcess
let context: BrowserContext
let page: Page
let staffContext: BrowserContext | undefined
let friendContext: BrowserContext | undefined
let leaderContext: BrowserContext | undefined
let memberContext: BrowserContext | undefined
let consoleContext: BrowserContext | undefined
let newcomerContext: BrowserContext | undefined
let buyerContext: BrowserContext | undefined
let clerkContext: BrowserContext | undefined
let strangerContext: BrowserContext | undefined
let latecomerContext: BrowserContext | undefined
let assistGuestContext: BrowserContext | undefined
let silentContext: BrowserContext | undefined
let chainLeaderContext: BrowserContext | undefined
let chainMemberContext: BrowserContext | undefined
let chainConsoleContext: BrowserContext | undefined
let databaseUri: string

beforeAll(async () => {
  ensureH5Build()
  // `npm start`, exactly as the README says, on this test run's database.
  databaseUri = testDatabaseUri('e2e_browser')
  // A smaller demo history than the default (same shape, nine weeks): it is lived while the shopper tests run.
  server = await startServerProcess(['npm', 'start', '--silent'], { PORT: '0', MONGODB_URI: databaseUri, DEMO_HISTORY: '100x63' })
  fs.mkdirSync(ARTIFACTS, { recursive: true })
  context = await phoneBrowser()
  page = await context.newPage()
})

afterAll(async () => {
  await staffContext?.close()
  await friendContext?.close()
  await leaderContext?.close()
  await memberContext?.close()
  await consoleContext?.close()
  await newcomerContext?.close()
  await buyerContext?.close()
  await clerkContext?.close()
  await strangerContext?.close()
  await latecomerContext?.close()
  await assistGuestContext?.close()
  await silentContext?.close()
  await chainLeaderContext?.close()
  await chainMemberContext?.close()
  await chainConsoleContext?.close()
  await context?.close()
  await server?.stop()
})

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

/** What left the app's origin or broke on a page, in any browser of this file (asserted last). */
const strayRequests: string[] = []
const pageErrors: string[] = []
function watch(context: BrowserContext): BrowserContext {
  const own = new URL(server.url).origin
  const follow = (p: Page) => {
    p.on('pageerror', (err) => pageErrors.push(`${p.url()}: ${err.message}`))
    // A request our CSP refuses never reaches the network: the browser reports it on the console.
    p.on('console', (msg) => {
      if (/Content Security Policy/i.test(msg.text())) strayRequests.push(`${p.url()}: ${msg.text()}`)
    })
  }
  context.pages().forEach(follow)
  context.on('page', follow)
  context.on('request', (req) => {
    const url = req.url()
    if (!url.startsWith('data:') && !url.startsWith('blob:') && new URL(url).origin !== own) strayRequests.push(url)
  })
  return context
}

/** A phone-sized Chromium with its own profile, so each person has their own storage. */
async function phoneBrowser(): Promise<BrowserContext> {
  return watch(await chromium.launchPersistentContext(fs.mkdtempSync(path.join(os.tmpdir(), 'chromium-')), {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 375, height: 667 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
  }))
}

/** A desktop Chromium for the operator console, with its own profile. */
async function desktopBrowser(): Promise<BrowserContext> {
  return watch(await chromium.launchPersistentContext(fs.mkdtempSync(path.join(os.tmpdir(), 'chromium-')), {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'America/Los_Angeles', // the console shows business time (Shanghai) whatever the browser's zone
  }))
}

async function post(url: string, body: object, token?: string | Record<string, string>) {
  const auth = typeof token === 'string' ? { authorization: `Bearer ${token}` } : (token ?? {})
  const res = await fetch(`${server.url}${url}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...auth },
    body: JSON.stringify(body),
  })
  return (await res.json()) as any
}

/** The demo operator `npm start` creates, signed in to the console API: its cookie and CSRF header. */
async function operatorAuth(): Promise<Record<string, string>> {
  const res = await fetch(`${server.url}/api/console/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(DEMO_OPERATOR),
  })
  const session = (await res.json()) as { csrfToken: string }
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('xl_console='))!.split(';')[0]!
  return { cookie, 'x-csrf-token': session.csrfToken }
}

describe('a shopper in the browser (H5 build)', () => {
  it('sees the shop with its demo products on the home page', async () => {
    await page.goto(`${server.url}/#/pages/index/index`)
    await page.getByText('海南贵妃芒 5 斤装').waitFor()
    await page.getByText('鲜邻优选·徐汇漕溪店').waitFor()
    expect(await page.locator('link[rel="icon"]').getAttribute('href')).toMatch(/^data:image\/svg\+xml,/) // the shop's own icon, no request
    await page.screenshot({ path: path.join(ARTIFACTS, 'home.png'), fullPage: true })
  })

  it("says so when a page's code fails to load, and 重试 loads it", async () => {
    const chunk = /\/js\/\d+\.[0-9a-f]{8}\.js$/
    await page.route(chunk, (route) => route.abort())
    await page.getByText('分类', { exact: true }).last().click()
    await page.getByText('页面没加载出来').waitFor()
    await page.unroute(chunk)
    await page.getByText('重试', { exact: true }).click()
    await page.waitForLoadState('load')
    await page.getByText('分类', { exact: true }).last().click()
    await page.locator('.category__tab').filter({ hasText: '水果' }).waitFor()
  })

  it('finds a product by part of its name, opens its page with spec, origin and group price, and goes on to open a group', async () => {
    await page.goto(`${server.url}/#/pages/index/index`)
    await page.locator('.home__category').filter({ hasText: '肉禽蛋' }).click()
    await page.locator('.product-card__name').filter({ hasText: '散养土鸡蛋 30 枚' }).waitFor()
    expect(await page.locator('.product-card__name').filter({ hasText: '海南贵妃芒' }).count()).toBe(0)
    await page.locator('.home__search').click()
    await page.waitForURL(/pages\/search\/index/)
    // By the initials of its pinyin: 贵妃 → gf.
    await page.locator('.search input').fill('gfm')
    await page.locator('.search .shelf-row__name').filter({ hasText: '海南贵妃芒 5 斤装' }).waitFor()
    expect(await page.locator('.search .shelf-row').count()).toBe(1)
    await page.locator('.search .shelf-row__name').click()
    await page.locator('.product__fact').filter({ hasText: '5 斤装 · 单果约 250g' }).waitFor()
    await page.locator('.product__fact').filter({ hasText: '海南三亚' }).waitFor()
    expect(await page.locator('.product__price-label').textContent()).toBe('拼团价起')
    await page.waitForTimeout(600)
    await page.screenshot({ path: path.join(ARTIFACTS, 'product.png'), fullPage: true })
    await page.goto(`${server.url}/#/pages/index/index`) // back where the next journey starts, with the tab bar
  })

  it('signs in with the development login on 我的 and sees their nickname', async () => {
    await page.getByText('我的', { exact: true }).last().click()
    await page.getByText('登录享会员价').waitFor()
    await page.locator('input[placeholder="体验昵称（选填）"]').fill('小鲜')
    await page.locator('.mine__login-button').click()
    const nickname = page.locator('.mine__nickname')
    await expect(nickname.filter({ hasText: '小鲜' }).waitFor()).resolves.toBeUndefined()
    expect(await nickname.textContent()).toBe('小鲜')
    await page.screenshot({ path: path.join(ARTIFACTS, 'mine.png'), fullPage: true })

    // The session survives a reload: the page asks /api/me with the stored token.
    await page.reload()
    await page.locator('.mine__nickname').filter({ hasText: '小鲜' }).waitFor()
  })

  it('checks in on 签到: the calendar marks today and 我的积分 shows the reward', async () => {
    await page.goto(`${server.url}/#/pages/checkin/index`)
    const button = page.locator('.checkin__button')
    await button.filter({ hasText: '签到领 1 积分' }).waitFor()
    await button.click()
    await page.locator('.checkin__button--done').waitFor()
    await page.waitForTimeout(1600) // let the success toast fade before the screenshot
    const today = page.locator('.calendar__cell--today')
    expect(await today.getAttribute('class')).toContain('calendar__cell--checked')
    expect(await page.locator('.checkin__streak').textContent()).toBe('1')
    await page.screenshot({ path: path.join(ARTIFACTS, 'checkin.png'), fullPage: true })

    await page.goto(`${server.url}/#/pages/points/index`)
    await page.locator('.points__balance').filter({ hasText: /^1$/ }).waitFor()
    await page.getByText('每日签到').first().waitFor()
    await page.screenshot({ path: path.join(ARTIFACTS, 'points.png'), fullPage: true })
  })

  it('shows the level card on 会员中心 and granted coupons on 我的优惠券', async () => {
    // The check-in's growth follows its points within seconds (the settle job): the page shows it once there.
    for (let tries = 1; ; tries++) {
      await page.goto(`${server.url}/#/pages/membership/index`)
      await page.reload()
      await page.locator('.membership__level').filter({ hasText: '普通会员' }).waitFor()
      if (await page.getByText('再获得 999 成长值升级为银卡会员').isVisible()) break
      if (tries === 20) throw new Error('the check-in’s growth never reached 会员中心')
      await page.waitForTimeout(1_000)
    }
    await page.screenshot({ path: path.join(ARTIFACTS, 'membership.png'), fullPage: true })

    // An operator grants the shopper a coupon through the admin API.
    const admin = await operatorAuth()
    const shopper = await post('/api/auth/dev', { nickname: '小鲜' })
    const { template } = await post(
      '/api/admin/coupon-templates',
      { name: '新人拼团券', kind: 'amount', amountFen: 1000, minSpendFen: 3000, validity: { kind: 'relative', days: 7 }, scope: 'groupbuy' },
      admin,
    )
    await post('/api/admin/coupons/grant', { templateId: template.id, userId: shopper.user.id, idempotencyKey: 'e2e-welcome-coupon' }, admin)

    await page.goto(`${server.url}/#/pages/coupons/index`)
    await page.locator('.coupon__name').filter({ hasText: '新人拼团券' }).waitFor()
    await page.getByText('满30元可用').waitFor()
    await page.screenshot({ path: path.join(ARTIFACTS, 'coupons.png'), fullPage: true })
    await page.getByText('已使用', { exact: true }).click()
    await page.getByText('还没有用过优惠券').waitFor()
    expect(await page.locator('.coupon__name').count()).toBe(0)
  })

  it('redeems a mall item into a voucher with a QR code that a clerk then redeems at the staff desk', async () => {
    const admin = await operatorAuth()
    const shopper = await post('/api/auth/dev', { nickname: '小鲜' })
    await post('/api/admin/points/adjust', { userId: shopper.user.id, amount: 1000, reason: '体验积分', idempotencyKey: 'e2e-mall-points' }, admin)

    await page.goto(`${server.url}/#/pages/mall/index`)
    await page.locator('.mall__balance').filter({ hasText: '1001' }).waitFor()
    await page.screenshot({ path: path.join(ARTIFACTS, 'mall.png'), fullPage: true })
    await page.locator('.mall__name').filter({ hasText: '鲜邻环保购物袋' }).click()
    await page.locator('.item__redeem').click()
    await page.getByText('确认兑换', { exact: true }).last().click()
    const code = page.locator('.voucher__code')
    await code.waitFor()
    const voucherCode = (await code.textContent())!.trim()
    expect(voucherCode).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/)
    expect(await page.locator('.qr__dot--dark').count()).toBeGreaterThan(100)
    expect(await page.locator('.qr').getAttribute('data-qr')).toBe(voucherCode)
    await page.waitForTimeout(800) // the page slides in after the redirect
    await page.screenshot({ path: path.join(ARTIFACTS, 'voucher.png'), fullPage: true })

    staffContext = await phoneBrowser()
    const desk = await staffContext.newPage()
    await desk.goto(`${server.url}/#/pages/mine/index`)
    await desk.getByText('以门店店员身份体验核销台 ›').click()
    await desk.locator('.mine__nickname').filter({ hasText: '店员小李' }).waitFor()
    await desk.goto(`${server.url}/#/pages/staff-desk/index`)
    // Typed the way a clerk might: lower case, spaces for dashes. Looking it up changes nothing yet.
    await desk.locator('input[placeholder^="输入券码"]').fill(voucherCode.toLowerCase().replace(/-/g, ' '))
    await desk.locator('.desk__verify').click()
    await desk.locator('.desk__preview').filter({ hasText: '鲜邻环保购物袋' }).waitFor()
    await desk.waitForTimeout(300)
    await desk.screenshot({ path: path.join(ARTIFACTS, 'staff-desk-preview.png'), fullPage: true })
    await desk.locator('.desk__confirm').click()
    await desk.locator('.desk__result--ok').waitFor()
    expect(await desk.locator('.desk__result--ok').textContent()).toContain('鲜邻环保购物袋')
    await desk.locator('.desk__row-item').filter({ hasText: '鲜邻环保购物袋' }).waitFor()
    await desk.screenshot({ path: path.join(ARTIFACTS, 'staff-desk.png'), fullPage: true })

    await page.reload()
    await page.locator('.voucher__stamp').filter({ hasText: '已核销' }).waitFor()
    await page.screenshot({ path: path.join(ARTIFACTS, 'voucher-redeemed.png'), fullPage: true })
  })

  it('invites a friend: the share link carries the invite, the friend signs in, and 邀请有礼 lists them', async () => {
    await page.goto(`${server.url}/#/pages/invite/index`)
    const code = (await page.locator('.invite__code').textContent())!.trim()
    expect(code).toMatch(/^[0-9A-Z]{8}$/)
    await page.locator('.invite__share').click()
    const link = (await page.locator('.share-link__url').textContent())!.trim()
    expect(link).toMatch(new RegExp(`^${server.url}/#/pages/index/index\\?inviter=${code}&shareId=[0-9a-f]{24}$`))
    await page.screenshot({ path: path.join(ARTIFACTS, 'invite-share.png') })
    await page.locator('.nut-popup-title-right').last().click()

    // The poster is drawn on a canvas: the shopper's name, a QR code of the invite link, the code.
    await page.locator('.invite__poster-button').click()
    const poster = page.locator('.invite__poster-image img, img.invite__poster-image').first()
    await poster.waitFor()
    expect(await poster.getAttribute('src')).toMatch(/^data:image\/png;base64,/)
    await page.waitForTimeout(400)
    await page.screenshot({ path: path.join(ARTIFACTS, 'invite-poster.png') })

    friendContext = await phoneBrowser()
    const friend = await friendContext.newPage()
    await friend.goto(link)
    // The landing says who invites and what the friend gets, before asking anything.
    await friend.locator('.home__invitation-title').filter({ hasText: '小* 邀请你来鲜邻优选' }).waitFor()
    expect(await friend.locator('.home__invitation-gift').textContent()).toBe('登录接受邀请，首单完成送你 ¥10 无门槛券')
    await friend.getByText('海南贵妃芒 5 斤装').waitFor()
    await friend.waitForTimeout(500)
    await friend.screenshot({ path: path.join(ARTIFACTS, 'invite-landing.png'), fullPage: true })
    await friend.locator('.home__invitation-accept').click()
    await friend.locator('.sign-in-sheet input').fill('邻居阿芳')
    await friend.locator('.sign-in-sheet__button').click()
    await friend.locator('.home__invitation').waitFor({ state: 'detached' })
    await friend.getByText('我的', { exact: true }).last().click()
    await friend.locator('.mine__nickname').filter({ hasText: '邻居阿芳' }).waitFor()

    await page.goto(`${server.url}/#/pages/invite/index`)
    await page.reload()
    await page.locator('.invite__friend-name').filter({ hasText: '邻**芳' }).waitFor()
    expect(await page.locator('.invite__friend').count()).toBe(1)
    // Where the friend is and what each reward waits for.
    expect(await page.locator('.invite__friend-stage').textContent()).toContain('已注册')
    expect(await page.locator('.invite__friend-reward-state').allTextContents()).toEqual(['待好友绑定手机号', '待好友首单自提'])
    expect(await page.locator('.invite__count-value').first().textContent()).toBe('1')
    await page.screenshot({ path: path.join(ARTIFACTS, 'invite-friends.png'), fullPage: true })

    // The friend opened the share signed in: the sharer earned the share reward.
    const token = await page.evaluate<string>(`JSON.parse(localStorage.getItem('session') ?? '{}').data?.accessToken`)
    const ledger = (await (await fetch(`${server.url}/api/points/ledger?limit=5`, { headers: { authorization: `Bearer ${token}` } })).json()) as any
    expect(ledger.entries.some((e: { source: string; amount: number }) => e.source === 'share' && e.amount === 10)).toBe(true)
  })

  it('starts an assist that a friend, arriving from the share link, helps', async () => {
    await page.goto(`${server.url}/#/pages/assist/index`)
    await page.locator('.assist__start').first().click()
    await page.locator('.assist__slot').first().waitFor()
    expect(await page.locator('.assist__slot-avatar--filled').count()).toBe(0)
    await page.locator('.assist__action').click()
    const link = (await page.locator('.share-link__url').textContent())!.trim()
    expect(link).toMatch(/#\/pages\/assist\/index\?inviter=[0-9A-Z]{8}&shareId=[0-9a-f]{24}&id=[0-9a-f]{24}$/)
    await page.locator('.nut-popup-title-right').last().click()

    const friend = await friendContext!.newPage()
    await friend.goto(link)
    await friend.getByText('邀你助力').waitFor()
    await friend.locator('.assist__action').filter({ hasText: '为 TA 助力' }).click()
    await friend.locator('.assist__action').filter({ hasText: '已助力' }).waitFor()
    expect(await friend.locator('.assist__slot-avatar--filled').count()).toBe(1)
    await friend.waitForTimeout(800) // let the page finish sliding in
    await friend.screenshot({ path: path.join(ARTIFACTS, 'assist-helper.png'), fullPage: true })

    // A stranger from the same link sees the product and who asks first, and signs in only to help.
    assistGuestContext = await phoneBrowser()
    const guest = await assistGuestContext.newPage()
    await guest.goto(link)
    await guest.locator('.assist__who').filter({ hasText: '小* 邀你助力' }).waitFor()
    await guest.locator('.assist__name').first().waitFor()
    expect(await guest.getByText('登录后查看').count()).toBe(0)
    await guest.waitForTimeout(600)
    await guest.screenshot({ path: path.join(ARTIFACTS, 'assist-landing.png'), fullPage: true })
    await guest.locator('.assist__action').filter({ hasText: '为 TA 助力' }).click()
    await guest.locator('.sign-in-sheet input').fill('路过帮忙的邻居')
    await guest.locator('.sign-in-sheet__button').click()
    await guest.locator('.assist__action').filter({ hasText: '已助力' }).waitFor()

    await page.reload()
    await page.locator('.assist__slot-avatar--filled').nth(1).waitFor()
    expect(await page.locator('.assist__status').textContent()).toContain('还差 1 人助力')
    await page.screenshot({ path: path.join(ARTIFACTS, 'assist-owner.png'), fullPage: true })
  })

  it('opens a 2-person group that a friend joins from the share link; both see it succeed and the clerk hands it over', async () => {
    await page.goto(`${server.url}/#/pages/groupbuys/index`)
    await page.locator('.groupbuys__name').filter({ hasText: '贵妃芒 2 人团' }).click()
    await page.locator('.activity__open').click()
    await page.locator('.checkout__pay').click()
    await page.getByText('确认支付', { exact: true }).last().click()
    await page.locator('.group__forming-title').filter({ hasText: '还差 1 人成团' }).waitFor()
    await page.waitForTimeout(800) // let the page finish sliding in
    await page.screenshot({ path: path.join(ARTIFACTS, 'group-open.png'), fullPage: true })
    await page.locator('.group__action').click()
    const link = (await page.locator('.share-link__url').textContent())!.trim()
    expect(link).toMatch(/#\/pages\/group\/index\?inviter=[0-9A-Z]{8}&shareId=[0-9a-f]{24}&id=[0-9a-f]{24}$/)
    await page.locator('.nut-popup-title-right').last().click()

    const friend = await friendContext!.newPage()
    await friend.goto(link)
    await friend.locator('.group__action').filter({ hasText: '参与拼团' }).click()
    await friend.locator('.checkout__total-value').waitFor()
    await friend.waitForTimeout(800) // let the page finish sliding in
    await friend.screenshot({ path: path.join(ARTIFACTS, 'group-checkout.png'), fullPage: true })
    await friend.locator('.checkout__pay').click()
    await friend.getByText('确认支付', { exact: true }).last().click()
    await friend.locator('.group__outcome-title').filter({ hasText: '拼团成功' }).waitFor()
    await friend.waitForTimeout(800) // let the page finish sliding in
    await friend.screenshot({ path: path.join(ARTIFACTS, 'group-success-friend.png'), fullPage: true })

    await page.reload()
    await page.locator('.group__outcome-title').filter({ hasText: '拼团成功' }).waitFor()
    expect(await page.locator('.group__avatar--filled').count()).toBe(2)
    await page.screenshot({ path: path.join(ARTIFACTS, 'group-success.png'), fullPage: true })

    // The initiator's order now carries a pickup code, which the clerk confirms at the desk.
    await page.locator('.group__order').click()
    const code = (await page.locator('.order__code').textContent())!.trim()
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/)
    expect(await page.locator('.qr').getAttribute('data-qr')).toBe(code)
    await page.waitForTimeout(800) // let the page finish sliding in
    await page.screenshot({ path: path.join(ARTIFACTS, 'order-pickup.png'), fullPage: true })
    const desk = await staffContext!.newPage()
    await desk.goto(`${server.url}/#/pages/staff-desk/index`)
    await desk.locator('input[placeholder^="输入券码"]').fill(code)
    await desk.locator('.desk__verify').click()
    await desk.locator('.desk__confirm').click()
    await desk.locator('.desk__result--ok').filter({ hasText: '提货成功' }).waitFor()
    await desk.locator('.desk__row-kind--pickup').first().waitFor() // 今日核销 lists the pickup too
    await desk.waitForTimeout(800) // let the page finish sliding in
    await desk.screenshot({ path: path.join(ARTIFACTS, 'staff-pickup.png'), fullPage: true })
    await page.reload()
    await page.locator('.order__state').filter({ hasText: '已完成' }).waitFor()
  })

  it('takes a stranger from a group link through sign-in to that group\'s checkout; a latecomer opens a new group; a reload during payment offers 继续支付 for the same order', async () => {
    // A neighbour opens a 2-person group (through the API) and shares its link.
    const opener = await post('/api/auth/dev', { nickname: '开团邻居' })
    const activities = (await (await fetch(`${server.url}/api/groupbuys`)).json()) as { activities: Array<{ id: string; title: string }> }
    const activityId = activities.activities.find((a) => a.title === '贵妃芒 2 人团')!.id
    const stores = (await (await fetch(`${server.url}/api/stores`)).json()) as { stores: Array<{ id: string }> }
    const opened = await post('/api/orders', { activityId, tierSize: 2, storeId: stores.stores[0]!.id, idempotencyKey: 'e2e-stranger-open' }, opener.accessToken)
    await post(`/api/dev/pay/${opened.order.id}`, {}, opener.accessToken)
    const groupId = opened.order.groupId as string
    const link = `${server.url}/#/pages/group/index?id=${groupId}`

    strangerContext = await phoneBrowser()
    const stranger = await strangerContext.newPage()
    await stranger.goto(link)
    await stranger.locator('.group__action').filter({ hasText: '参与拼团' }).click()
    await stranger.locator('.sign-in-sheet__button').waitFor()
    await stranger.waitForTimeout(500) // let the sheet finish sliding up
    await stranger.screenshot({ path: path.join(ARTIFACTS, 'sign-in-sheet.png'), fullPage: true })
    await stranger.locator('.sign-in-sheet input').fill('路过的邻居')
    await stranger.locator('.sign-in-sheet__button').click()
    await stranger.locator('.checkout__meta').filter({ hasText: '参团' }).waitFor()
    expect(stranger.url()).toContain(`groupId=${groupId}`)
    await stranger.locator('.checkout__pay').click()
    await stranger.getByText('模拟微信支付').waitFor() // the wallet is open: the seat is held, unpaid

    // Meanwhile a latecomer finds the group full, waiting for payment, and opens a new one.
    latecomerContext = await phoneBrowser()
    const latecomer = await latecomerContext.newPage()
    await latecomer.goto(link)
    await latecomer.locator('.group__forming-title').filter({ hasText: '名额已满，等待付款' }).waitFor()
    expect(await latecomer.locator('.group__member').filter({ hasText: '等待付款' }).count()).toBe(1)
    await latecomer.waitForTimeout(800)
    await latecomer.screenshot({ path: path.join(ARTIFACTS, 'group-full-held.png'), fullPage: true })
    await latecomer.locator('.group__again').click()
    await latecomer.locator('.sign-in-sheet input').fill('晚到的邻居')
    await latecomer.locator('.sign-in-sheet__button').click()
    await latecomer.locator('.checkout__meta').filter({ hasText: '发起2人团' }).waitFor()
    await latecomer.locator('.checkout__pay').click()
    await latecomer.getByText('确认支付', { exact: true }).last().click()
    await latecomer.locator('.group__forming-title').filter({ hasText: '还差 1 人成团' }).waitFor()
    expect(latecomer.url()).not.toContain(groupId)

    // The stranger reloads instead of paying: the checkout offers 继续支付 for the order it placed.
    await stranger.reload()
    await stranger.locator('.checkout__continue').waitFor()
    expect(await stranger.locator('.checkout__unpaid').textContent()).toMatch(/^你有一笔订单待支付，请在 1?\d 分 \d+ 秒 内完成支付$/)
    await stranger.waitForTimeout(800)
    await stranger.screenshot({ path: path.join(ARTIFACTS, 'checkout-continue.png'), fullPage: true })
    await stranger.locator('.checkout__continue').click()
    await stranger.getByText('确认支付', { exact: true }).last().click()
    await stranger.locator('.group__outcome-title').filter({ hasText: '拼团成功' }).waitFor()
    const found = await fetch(`${server.url}/api/admin/orders?q=${encodeURIComponent('路过的邻居')}`, { headers: await operatorAuth() })
    const orders = ((await found.json()) as { orders: Array<{ groupId: string; state: string }> }).orders
    expect(orders.map((o) => [o.groupId, o.state])).toEqual([[groupId, 'confirmed']])

    // A session the server no longer accepts signs the shopper out with a word, not silently.
    await stranger.evaluate(`(() => {
      const stored = JSON.parse(localStorage.getItem('session'))
      const session = stored.data ?? stored
      session.accessToken = 'no.longer.valid'
      session.refreshToken = 'no-longer-valid'
      localStorage.setItem('session', JSON.stringify(stored))
    })()`)
    await stranger.goto(`${server.url}/#/pages/mine/index`)
    await stranger.getByText('登录已失效，请重新登录').waitFor()
    await stranger.getByText('登录享会员价').waitFor()
  })

  it('buys a product now (立即购买), two of them, pays, and a clerk hands both over', async () => {
    const found = (await (await fetch(`${server.url}/api/products?q=${encodeURIComponent('西兰花')}`)).json()) as { products: Array<{ id: string }> }
    await page.goto(`${server.url}/#/pages/product/index?id=${found.products[0]!.id}`)
    await page.locator('.product__promise').filter({ hasText: '截单' }).waitFor()
    await page.locator('.product__open').filter({ hasText: '立即购买' }).click()
    await page.locator('.checkout__line-name').filter({ hasText: '有机西兰花 500g' }).waitFor()
    await page.locator('.checkout__line .stepper__button--plus').click()
    await page.locator('.checkout__label').filter({ hasText: '商品金额（2 件）' }).waitFor()
    await page.waitForTimeout(500)
    await page.screenshot({ path: path.join(ARTIFACTS, 'checkout-alone.png'), fullPage: true })
    await page.locator('.checkout__pay').click()
    await page.getByText('确认支付', { exact: true }).last().click()
    await page.locator('.order__meta').filter({ hasText: '× 2' }).waitFor()
    const code = (await page.locator('.order__code').textContent())!.trim()
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/)

    const desk = await staffContext!.newPage()
    await desk.goto(`${server.url}/#/pages/staff-desk/index`)
    await desk.locator('input[placeholder^="输入券码"]').fill(code)
    await desk.locator('.desk__verify').click()
    await desk.locator('.desk__preview').filter({ hasText: '有机西兰花 500g × 2' }).filter({ hasText: '社区团购 · 共 2 件' }).waitFor()
    await desk.locator('.desk__confirm').click()
    await desk.locator('.desk__result--ok').filter({ hasText: '提货成功' }).waitFor()
    await page.reload()
    await page.locator('.order__state').filter({ hasText: '已完成' }).waitFor()
  })

  it('binds a phone in 设置 and sees it masked; reviews the picked-up order with a photo, and the review shows on the product page', async () => {
    // The order page of the order just picked up: remember it, then bind a phone first.
    const orderUrl = page.url()
    await page.goto(`${server.url}/#/pages/settings/index`)
    await page.locator('.phone-binder__input input').fill('13812345678')
    await page.locator('.phone-binder .nut-button').click()
    await page.locator('.settings__phone').filter({ hasText: '138****5678' }).waitFor()
    await page.screenshot({ path: path.join(ARTIFACTS, 'settings-phone.png'), fullPage: true })
    await page.goto(`${server.url}/#/pages/mine/index`)
    await page.locator('.mine__phone').filter({ hasText: '138****5678' }).waitFor()
    expect(await page.content()).not.toContain('13812345678')

    await page.goto(orderUrl)
    await page.locator('.order__review').click()
    await page.locator('.review__name').waitFor()
    await page.locator('.review__text textarea').fill('西兰花很新鲜，门店取货很快')
    const photoFile = path.join(os.tmpdir(), `xl-review-${process.pid}.jpg`)
    fs.writeFileSync(photoFile, await sharp({ create: { width: 800, height: 600, channels: 3, background: '#4a8' } }).jpeg().toBuffer())
    const chooser = page.waitForEvent('filechooser')
    await page.locator('.photo-picker__photo--add').click()
    await (await chooser).setFiles(photoFile)
    // Previewed from the phone's own copy: the upload is the member's alone until the review is published.
    const preview = page.locator('.photo-picker__img img, img.photo-picker__img').first()
    await preview.waitFor()
    expect(await preview.getAttribute('src')).toMatch(/^blob:/)
    await page.screenshot({ path: path.join(ARTIFACTS, 'review-write.png'), fullPage: true })
    await page.locator('.review__submit').click()
    await page.locator('.order__panel .review-item__text').filter({ hasText: '西兰花很新鲜' }).waitFor()

    const found = (await (await fetch(`${server.url}/api/products?q=${encodeURIComponent('西兰花')}`)).json()) as { products: Array<{ id: string }> }
    await page.goto(`${server.url}/#/pages/product/index?id=${found.products[0]!.id}`)
    const shown = page.locator('.product__reviews .review-item').filter({ hasText: '西兰花很新鲜，门店取货很快' })
    await shown.waitFor()
    await shown.locator('.review-item__photo').first().scrollIntoViewIfNeeded()
    const thumb = shown.locator('img[src*="/api/photos/"]').first()
    await thumb.waitFor()
    expect(await thumb.getAttribute('src')).toMatch(/\/api\/photos\/[0-9a-f]{24}\/thumb$/)
    await page.screenshot({ path: path.join(ARTIFACTS, 'product-reviews.png'), fullPage: true })

    // The review's reward is in 消息通知, reached from 我的 with its unread count.
    await page.goto(`${server.url}/#/pages/mine/index`)
    const menu = page.locator('.taro_page').last().locator('.nut-cell').filter({ hasText: '消息通知' })
    await menu.filter({ hasText: '条未读' }).waitFor()
    await menu.click()
    await page.locator('.notices__item').filter({ hasText: '评价奖励到账' }).waitFor()
    await page.waitForTimeout(500) // the page's slide-in
    await page.screenshot({ path: path.join(ARTIFACTS, 'notices.png'), fullPage: true })
  })

  it('fills a basket from 分类, checks it out with the best coupon chosen by default, pays once, and 我的订单 shows one order with its three lines and pickup day', async () => {
    const admin = await operatorAuth()
    const shopper = await post('/api/auth/dev', { nickname: '小鲜' })
    for (const [name, amountFen, minSpendFen] of [['满100减15', 1500, 10000], ['3元无门槛券', 300, 0]] as const) {
      const { template } = await post('/api/admin/coupon-templates', { name, kind: 'amount', amountFen, minSpendFen, validity: { kind: 'relative', days: 7 }, scope: 'all' }, admin)
      await post('/api/admin/coupons/grant', { templateId: template.id, userId: shopper.user.id, idempotencyKey: `e2e-basket-${name}` }, admin)
    }
    await page.goto(`${server.url}/#/pages/category/index`)
    await page.locator('.category__tab').filter({ hasText: '水果' }).click()
    for (const name of ['海南贵妃芒 5 斤装', '丹东红颜草莓 2 斤', '赣南脐橙 5 斤']) {
      await page.locator('.shelf-row').filter({ hasText: name }).locator('.stepper__button--plus').click()
      await page.locator('.shelf-row').filter({ hasText: name }).locator('.stepper__value').filter({ hasText: '1' }).waitFor()
    }
    await page.locator('.taro-tabbar__tabbar .weui-badge').filter({ hasText: '3' }).waitFor()
    await page.screenshot({ path: path.join(ARTIFACTS, 'category.png') })
    await page.getByText('购物车', { exact: true }).last().click()
    await page.locator('.cart__line').nth(2).waitFor()
    expect(await page.locator('.cart__line').count()).toBe(3)
    await page.locator('.cart__group-title').filter({ hasText: '截单' }).waitFor()
    await page.screenshot({ path: path.join(ARTIFACTS, 'cart.png') })
    await page.locator('.cart__checkout').click()
    // ¥113.38 of fruit: of the coupons held, the one that saves most (满100减15) is chosen for the shopper.
    await page.locator('.checkout__coupon--on').filter({ hasText: '满100减15' }).waitFor()
    await page.locator('.checkout__pickup-day').filter({ hasText: '16:00 后自提' }).waitFor()
    expect(await page.locator('.checkout__line').count()).toBe(3)
    await page.waitForTimeout(500)
    await page.screenshot({ path: path.join(ARTIFACTS, 'checkout-basket.png') })
    await page.locator('.checkout__pay').click()
    await page.getByText('确认支付', { exact: true }).last().click()
    await page.locator('.order__code').waitFor()
    expect(await page.locator('.order__product').count()).toBe(3)
    // The basket is empty now: the bought lines left it.
    const basketNow = (await (await fetch(`${server.url}/api/cart`, { headers: { authorization: `Bearer ${shopper.accessToken}` } })).json()) as { cart: { lines: unknown[] } }
    expect(basketNow.cart.lines).toEqual([])
    await page.goto(`${server.url}/#/pages/orders/index`)
    const card = page.locator('.orders__card').first()
    await card.locator('.orders__name').filter({ hasText: '3 种商品' }).waitFor()
    await card.locator('.orders__meta').filter({ hasText: '共 3 件' }).waitFor()
    await card.locator('.orders__pickup').filter({ hasText: '起可自提' }).waitFor()
    await page.screenshot({ path: path.join(ARTIFACTS, 'orders.png') })
  })

  it("binds a member through the leader's link; the member's group succeeds and the leader hands it over in 团长中心", async () => {
    leaderContext = await phoneBrowser()
    const leader = await leaderContext.newPage()
    await leader.goto(`${server.url}/#/pages/mine/index`)
    await leader.getByText('以社区团长身份体验团长中心 ›').click()
    await leader.locator('.mine__nickname').filter({ hasText: '团长王姐' }).waitFor()
    await leader.goto(`${server.url}/#/pages/leader-centre/index`)
    const code = (await leader.locator('.centre__code').textContent())!.replace('团长码', '').trim()
    expect(code).toMatch(/^[0-9A-Z]{8}$/)

    memberContext = await phoneBrowser()
    const member = await memberContext.newPage()
    await member.goto(`${server.url}/#/pages/index/index?leader=${code}`)
    // The landing names the point signing in binds to, before anything is asked.
    await member.locator('.home__leader .home__invitation-title').filter({ hasText: '团长「漕溪新村自提点」的自提点' }).waitFor()
    await member.getByText('海南贵妃芒 5 斤装').waitFor()
    await member.waitForTimeout(500)
    await member.screenshot({ path: path.join(ARTIFACTS, 'leader-landing.png'), fullPage: true })
    await member.locator('.home__leader-accept').click()
    await member.locator('.sign-in-sheet input').fill('楼下小林')
    await member.locator('.sign-in-sheet__button').click()
    await member.locator('.home__leader').waitFor({ state: 'detached' })
    await member.getByText('我的', { exact: true }).last().click()
    await member.locator('.mine__nickname').filter({ hasText: '楼下小林' }).waitFor()
    await member.goto(`${server.url}/#/pages/my-leader/index`)
    await member.locator('.my-leader__name').filter({ hasText: '漕溪新村自提点' }).waitFor()
    await member.waitForTimeout(800) // let the page finish sliding in
    await member.screenshot({ path: path.join(ARTIFACTS, 'my-leader.png'), fullPage: true })

    // The member opens a 2-person group; the leader's point is the default pickup.
    await member.goto(`${server.url}/#/pages/groupbuys/index`)
    await member.locator('.groupbuys__name').filter({ hasText: '贵妃芒 2 人团' }).click()
    await member.locator('.activity__open').click()
    await member.locator('.checkout__store--leader .checkout__leader-tag').waitFor()
    await member.waitForTimeout(800) // let the page finish sliding in
    await member.screenshot({ path: path.join(ARTIFACTS, 'leader-checkout.png'), fullPage: true })
    await member.locator('.checkout__pay').click()
    await member.getByText('确认支付', { exact: true }).last().click()
    await member.locator('.group__forming-title').waitFor()
    const groupId = /id=([0-9a-f]{24})/.exec(member.url())![1]!

    // A neighbour joins the same group and pays (through the API: the browser part is the member's).
    const neighbour = await post('/api/auth/dev', { nickname: '楼下小吴' })
    const { activities } = (await (await fetch(`${server.url}/api/groupbuys`)).json()) as { activities: Array<{ id: string; title: string }> }
    const activityId = activities.find((a) => a.title === '贵妃芒 2 人团')!.id
    const { stores } = (await (await fetch(`${server.url}/api/stores`)).json()) as { stores: Array<{ id: string }> }
    const joined = await post('/api/orders', { activityId, groupId, storeId: stores[0]!.id, idempotencyKey: 'e2e-neighbour-join' }, neighbour.accessToken)
    await post(`/api/dev/pay/${joined.order.id}`, {}, neighbour.accessToken)

    await member.reload()
    await member.locator('.group__outcome-title').filter({ hasText: '拼团成功' }).waitFor()
    await member.locator('.group__order').click()
    const pickupCode = (await member.locator('.order__code').textContent())!.trim()
    expect(await member.locator('.order__store').textContent()).toBe('漕溪新村自提点')

    // The leader sees the order to hand over, confirms it with the member's code, and the commission is pending.
    await leader.reload()
    await leader.locator('.centre__order-meta').filter({ hasText: '楼**林' }).waitFor()
    await leader.locator('input[placeholder^="输入提货码"]').fill(pickupCode)
    await leader.locator('.centre__confirm').click()
    await leader.locator('.centre__handover-confirm').click()
    await leader.locator('.centre__result--ok').waitFor()
    // 27.90 × 98% = 27.34 paid; 5% = 1.36, frozen for the refund window.
    await leader.locator('.centre__money-value').first().filter({ hasText: '¥1.36' }).waitFor()
    await leader.locator('.centre__entry-type').filter({ hasText: '订单佣金（冻结中）' }).first().waitFor()
    await leader.screenshot({ path: path.join(ARTIFACTS, 'leader-centre.png'), fullPage: true })
    await member.reload()
    await member.locator('.order__state').filter({ hasText: '已完成' }).waitFor()
  })
})

describe('an operator in the console (desktop)', () => {
  it('signs in, reads the audit trail filtered in the URL, creates an operator whose first sign-in must change the one-time password', async () => {
    consoleContext = await desktopBrowser()
    const op = await consoleContext.newPage()
    await op.goto(`${server.url}/console/`)
    await op.getByLabel('用户名').fill(DEMO_OPERATOR.username)
    await op.getByLabel('密码').fill('wrong-password')
    await op.getByRole('button', { name: '登 录' }).click()
    await op.getByText('用户名或密码不正确').waitFor()
    await op.getByLabel('密码').fill(DEMO_OPERATOR.password)
    await op.getByRole('button', { name: '登 录' }).click()

    // 概览 first: the shoppers above checked in and redeemed today.
    await op.getByText('今日签到人数').waitFor()
    // 核销 in two cards, each named: one voucher, and every order handed over today (desk and leaders).
    await op.locator('.ant-statistic').filter({ hasText: '今日兑换券核销' }).filter({ hasText: /\b1\b/ }).waitFor()
    await mongoose.connect(databaseUri)
    const handedToday = await mongoose.connection.db!.collection('orders').countDocuments({ completedAt: { $gte: startOfBusinessDay(businessDay(new Date(), 'Asia/Shanghai'), 'Asia/Shanghai') } })
    await mongoose.disconnect()
    expect(handedToday).toBeGreaterThan(1)
    await op.locator('.ant-statistic').filter({ hasText: '今日提货核销' }).filter({ hasText: new RegExp(`\\b${handedToday}\\b`) }).waitFor()
    await op.locator('canvas').first().waitFor()
    await op.waitForTimeout(600) // the chart's drawing animation
    await op.screenshot({ path: path.join(ARTIFACTS, 'console-overview.png'), fullPage: true })

    // The shopper tests above had the operator adjust points: the trail names who and what.
    await op.getByRole('menuitem', { name: '审计日志' }).click()
    await op.getByLabel('操作', { exact: true }).fill('调整积分')
    await op.locator('.ant-select-item-option').filter({ hasText: '调整积分' }).click()
    await op.getByRole('button', { name: '查 询' }).click()
    await op.waitForURL(/\/console\/audit\?action=points\.adjust/)
    // Each entry reads as a sentence, people by name: 运营 演示管理员 给 会员 小鲜 调整积分 +1000（原因：体验积分）.
    await op.locator('.audit__sentence').filter({ hasText: '运营 演示管理员 给 会员 小鲜 调整积分 +1000（原因：体验积分）' }).first().waitFor()
    // The filter lives in the URL: a reload shows the same view; the raw record opens under its row.
    await op.reload()
    await op.locator('.ant-table-row').filter({ hasText: '调整积分' }).first().waitFor()
    expect(await op.locator('.ant-table-row').filter({ hasNotText: '调整积分' }).count()).toBe(0)
    await op.locator('.ant-table-row').filter({ hasText: '小鲜' }).first().click()
    await op.locator('.ant-table-expanded-row').getByText(/"action": "points\.adjust"/).waitFor()
    await op.screenshot({ path: path.join(ARTIFACTS, 'console-audit.png'), fullPage: true })

    // 异常处理: the queues that were API routes only, one tab each, in the URL.
    await op.getByRole('menuitem', { name: '异常处理' }).click()
    for (const [tab, empty] of [['支付异常', '没有支付异常'], ['退款异常', '没有退款异常'], ['积分负余额', '没有积分为负的会员']] as const) {
      await op.getByRole('tab', { name: tab }).click()
      const panel = op.locator('.ant-tabs-tabpane-active')
      await panel.locator('.ant-table-row').first().or(panel.getByText(empty)).waitFor()
    }
    await op.waitForURL(/\/console\/exceptions\?tab=balances/)

    // A shopper applies to run a pickup point; the operator approves it from 团长.
    const applicant = await post('/api/auth/dev', { nickname: '申请团长的李姐' })
    const applied = await post('/api/leaders/applications', { name: '李秀英', phone: '13900139000', community: '田林十二村', address: '田林路 12 弄 3 号', location: { latitude: 31.17, longitude: 121.43 }, hours: '08:00-20:00' }, applicant.accessToken)
    expect(applied.application.state).toBe('pending')
    await op.getByRole('menuitem', { name: '团长' }).click()
    const row = op.locator('.ant-table-row').filter({ hasText: '李秀英' })
    await row.getByRole('button', { name: '通 过' }).click()
    await op.locator('.ant-popconfirm').getByRole('button', { name: '通 过' }).click()
    // The success message, not the 已通过 filter label with the same words (that one is always there, and raced the request in CI).
    await op.locator('.ant-message').getByText('已通过', { exact: true }).waitFor()
    await row.waitFor({ state: 'detached' })
    await op.locator('.ant-segmented').getByText('已通过', { exact: true }).click() // the filter: approved applications
    await op.waitForURL(/state=approved/)
    await op.locator('.ant-table-row').filter({ hasText: '李秀英' }).filter({ hasText: '正常' }).waitFor()
    await op.screenshot({ path: path.join(ARTIFACTS, 'console-leaders.png'), fullPage: true })

    // 会员: the shopper the operator gave points to above, found by nickname, with the adjustment in the ledger.
    await op.getByRole('menuitem', { name: '会员' }).click()
    await op.getByPlaceholder('会员 ID 或昵称开头').fill('小鲜')
    await op.getByPlaceholder('会员 ID 或昵称开头').press('Enter')
    await op.waitForURL(/\/console\/members\?q=/)
    await op.locator('.ant-table-row a').filter({ hasText: /^小鲜$/ }).first().click()
    await op.getByText('积分明细').waitFor()
    await op.locator('.ant-table-row').filter({ hasText: '客服调整' }).filter({ hasText: '+1000' }).waitFor()
    // Their group-buy order, with its timeline.
    await op.locator('.ant-table-row').filter({ hasText: '已完成' }).first().locator('.ant-table-row-expand-icon').click()
    await op.locator('.ant-timeline').getByText(/支付成功/).first().waitFor()
    await op.screenshot({ path: path.join(ARTIFACTS, 'console-member.png'), fullPage: true })

    // 规则设置: a refused value is marked on its field; a valid change is saved, applied and audited.
    await op.getByRole('menuitem', { name: '规则设置' }).click()
    const bonus = op.getByLabel('周期满签奖励积分')
    await bonus.fill('-1')
    await op.getByRole('button', { name: '保存为新版本' }).click()
    await op.getByLabel('修改原因（写入审计日志）').fill('国庆签到加码')
    await op.getByRole('button', { name: '保 存' }).click()
    await op.locator('.ant-form-item-has-error').filter({ hasText: '周期满签奖励积分' }).waitFor()
    await bonus.fill('15')
    await op.getByRole('button', { name: '保存为新版本' }).click()
    await op.getByLabel('修改原因（写入审计日志）').fill('国庆签到加码')
    await op.getByRole('button', { name: '保 存' }).click()
    await op.getByText(/已保存为第 1 版/).waitFor()
    await op.locator('.ant-table-row').filter({ hasText: '国庆签到加码' }).filter({ hasText: 'checkin.cycleBonusPoints: 10 → 15' }).waitFor()
    await op.screenshot({ path: path.join(ARTIFACTS, 'console-rules.png'), fullPage: true })
    const rules = (await (await fetch(`${server.url}/api/admin/rules`, { headers: await operatorAuth() })).json()) as { version: number; rules: { checkin: { cycleBonusPoints: number } } }
    expect(rules).toMatchObject({ version: 1, rules: { checkin: { cycleBonusPoints: 15 } } })

    await op.getByRole('menuitem', { name: '运营账号' }).click()
    await op.getByRole('button', { name: '新建账号' }).click()
    await op.getByLabel('用户名').fill('xiaochen')
    await op.getByLabel('显示名').fill('运营小陈')
    await op.getByRole('button', { name: '创 建' }).click()
    const otp = (await op.locator('.ant-modal-confirm .ant-typography-copy').locator('xpath=..').textContent())!.trim()
    expect(otp).toMatch(/^[A-Za-z0-9]{16}$/)
    await op.getByText('新建运营账号').waitFor({ state: 'hidden' })
    await op.waitForTimeout(400) // the dialog's opening animation
    await op.screenshot({ path: path.join(ARTIFACTS, 'console-operators.png'), fullPage: true })
    await op.getByRole('button', { name: '知道了' }).click()
    await op.locator('.ant-table-row').filter({ hasText: 'xiaochen' }).filter({ hasText: '待改密' }).waitFor()

    newcomerContext = await desktopBrowser()
    const newcomer = await newcomerContext.newPage()
    await newcomer.goto(`${server.url}/console/`)
    await newcomer.getByLabel('用户名').fill('xiaochen')
    await newcomer.getByLabel('密码').fill(otp)
    await newcomer.getByRole('button', { name: '登 录' }).click()
    await newcomer.getByText('首次登录请先修改密码').waitFor()
    await newcomer.getByLabel('当前密码').fill(otp)
    await newcomer.getByLabel('新密码', { exact: true }).fill('short')
    await newcomer.getByLabel('确认新密码').fill('short')
    await newcomer.getByRole('button', { name: '修改密码' }).click()
    await newcomer.getByText('密码至少 10 位').waitFor() // the API's field error, shown on the field
    await newcomer.getByLabel('新密码', { exact: true }).fill('xiaochen-2026-new')
    await newcomer.getByLabel('确认新密码').fill('xiaochen-2026-new')
    await newcomer.getByRole('button', { name: '修改密码' }).click()
    // 运营 may not read the audit trail: its menu has no such entry.
    await newcomer.getByText('运营小陈（运营）').waitFor()
    expect(await newcomer.getByRole('menuitem', { name: '审计日志' }).count()).toBe(0)
    await newcomer.screenshot({ path: path.join(ARTIFACTS, 'console-account.png'), fullPage: true })
  })

  it('uploads a photo, creates a product and a 3-person group-buy; a shopper sees the photo and opens a group; the operator finds the order by nickname with its timeline', async () => {
    const op = await consoleContext!.newPage()
    await op.goto(`${server.url}/console/products`)
    await op.getByRole('button', { name: '新建商品' }).click()
    // A camera photo taken on its side: the server stores it upright, without EXIF.
    const photoFile = path.join(os.tmpdir(), `xl-orange-${process.pid}.jpg`)
    const orange = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="1200"><rect width="1600" height="1200" fill="#fff3e0"/><circle cx="800" cy="620" r="430" fill="#f59e0b"/><ellipse cx="800" cy="190" rx="90" ry="40" fill="#4d7c0f"/></svg>')
    fs.writeFileSync(photoFile, await sharp(orange).jpeg().withMetadata({ orientation: 1 }).toBuffer())
    await op.locator('.ant-drawer input[type=file]').setInputFiles(photoFile)
    await op.getByTestId('photo-preview').waitFor()
    await op.getByLabel('商品名').fill('云南冰糖橙')
    await op.getByLabel('卖点').fill('果园直发，甜度 13°+')
    await op.getByLabel('类目').fill('水果')
    await op.getByLabel('单位').fill('5斤')
    await op.getByLabel('原价（元）').fill('39.9')
    await op.getByRole('button', { name: '保 存' }).click()
    await op.locator('.ant-table-row').filter({ hasText: '云南冰糖橙' }).locator('img').waitFor()
    await op.locator('.ant-drawer-open').waitFor({ state: 'detached' })
    await op.waitForTimeout(400) // the drawer's closing animation
    await op.screenshot({ path: path.join(ARTIFACTS, 'console-products.png'), fullPage: true })

    await op.getByRole('menuitem', { name: '拼团活动' }).click()
    await op.getByRole('button', { name: '新建拼团' }).click()
    await op.getByLabel('商品').fill('云南冰糖')
    await op.locator('.ant-select-item-option').filter({ hasText: '云南冰糖橙' }).click()
    await op.locator('#tiers_0_priceYuan').fill('29.9')
    await op.getByLabel('活动时间').click()
    await op.getByText('从现在起 7 天').click()
    await op.getByRole('button', { name: '创 建' }).click()
    await op.getByText('活动已创建').waitFor()
    await op.locator('.ant-table-row').filter({ hasText: '云南冰糖橙 3人团' }).filter({ hasText: '进行中' }).waitFor()

    // A shopper on a phone: the list shows the photo, and they open a 3-person group.
    buyerContext = await phoneBrowser()
    const buyer = await buyerContext.newPage()
    await buyer.goto(`${server.url}/#/pages/mine/index`)
    await buyer.locator('input[placeholder="体验昵称（选填）"]').fill('橙子控阿梅')
    await buyer.locator('.mine__login-button').click()
    await buyer.locator('.mine__nickname').filter({ hasText: '橙子控阿梅' }).waitFor()
    await buyer.goto(`${server.url}/#/pages/groupbuys/index`)
    const card = buyer.locator('.groupbuys__item, .groupbuys__card').filter({ hasText: '云南冰糖橙 3人团' }).first()
    // The image loads lazily: its src is set once it scrolls into view.
    const photo = card.locator('.cover__photo img[src]')
    await card.scrollIntoViewIfNeeded()
    await photo.waitFor()
    expect(await photo.getAttribute('src')).toMatch(/\/api\/photos\/[0-9a-f]{24}\/thumb$/)
    await buyer.waitForFunction((img) => (img as unknown as { complete: boolean; naturalWidth: number }).complete && (img as unknown as { naturalWidth: number }).naturalWidth > 0, await photo.elementHandle())
    await buyer.screenshot({ path: path.join(ARTIFACTS, 'groupbuys-photo.png'), fullPage: true })
    await card.click()
    await buyer.locator('.activity__open').click()
    await buyer.locator('.checkout__pay').click()
    await buyer.getByText('确认支付', { exact: true }).last().click()
    await buyer.locator('.group__forming-title').filter({ hasText: '还差 2 人成团' }).waitFor()
    await buyer.waitForTimeout(800) // let the page finish sliding in
    await buyer.screenshot({ path: path.join(ARTIFACTS, 'group-open-photo.png'), fullPage: true })

    // The operator finds the order by the shopper's nickname and reads its timeline.
    await op.getByRole('menuitem', { name: '订单' }).click()
    await op.getByPlaceholder('订单号、会员 ID 或昵称开头').fill('橙子控')
    await op.getByRole('button', { name: '查 询' }).click()
    await op.waitForURL(/\/console\/orders\?q=/)
    const orderRow = op.locator('.ant-table-row').filter({ hasText: '云南冰糖橙 3人团' }).filter({ hasText: '橙子控阿梅' })
    await orderRow.filter({ hasText: '待成团' }).waitFor()
    await orderRow.locator('.ant-table-row-expand-icon').click()
    await op.locator('.ant-timeline').getByText(/下单/).first().waitFor()
    await op.locator('.ant-timeline').getByText(/支付成功/).first().waitFor()
    await op.screenshot({ path: path.join(ARTIFACTS, 'console-orders.png'), fullPage: true })

    // The activity's groups: one group, the shopper in it, paid.
    await op.getByRole('menuitem', { name: '拼团活动' }).click()
    await op.locator('.ant-table-row').filter({ hasText: '云南冰糖橙 3人团' }).locator('.ant-table-row-expand-icon').click()
    await op.locator('.ant-table-expanded-row .ant-tag').filter({ hasText: '橙子控阿梅（团长）' }).waitFor()
    await op.screenshot({ path: path.join(ARTIFACTS, 'console-groupbuys.png'), fullPage: true })

    await op.getByRole('menuitem', { name: '会员' }).click()
    await op.getByPlaceholder('会员 ID 或昵称开头').fill('橙子控')
    await op.getByPlaceholder('会员 ID 或昵称开头').press('Enter')
    await op.locator('.ant-table-row').filter({ hasText: '橙子控阿梅' }).waitFor()
    await op.screenshot({ path: path.join(ARTIFACTS, 'console-members.png'), fullPage: true })
  })

  it('invites a clerk to a store: the shopper who opens the invitation becomes its staff and redeems there and only there', async () => {
    const admin = await operatorAuth()
    const stores = (await (await fetch(`${server.url}/api/stores`)).json()) as { stores: Array<{ id: string; name: string }> }
    const here = stores.stores.find((st) => st.name === '鲜邻优选·静安大宁店')!
    const elsewhere = stores.stores.find((st) => st.name === '鲜邻优选·徐汇漕溪店')!
    const voucherAt = async (storeId: string, name: string) => {
      const item = await post('/api/admin/mall/items', { name, kind: 'goods', category: '生活', pointsPrice: 10, stock: 5, storeIds: [storeId], cover: { emoji: '🧺', tint: '#eef6ee' } }, admin)
      const holder = await post('/api/auth/dev', { nickname: `${name}的主人` })
      await post('/api/admin/points/adjust', { userId: holder.user.id, amount: 10, reason: '体验积分', idempotencyKey: `e2e-${name}` }, admin)
      return (await post(`/api/mall/items/${item.item.id}/redeem`, { idempotencyKey: `e2e-redeem-${name}` }, holder.accessToken)).voucher.code as string
    }
    const good = await voucherAt(here.id, '大宁店专享菜篮')
    const wrong = await voucherAt(elsewhere.id, '漕溪店专享菜篮')

    const op = await consoleContext!.newPage()
    await op.goto(`${server.url}/console/stores`)
    await op.locator('.ant-table-row').filter({ hasText: here.name }).getByRole('button', { name: '邀请店员' }).click()
    await op.getByRole('button', { name: '生成邀请' }).click()
    // Either the QR code or an error message: a failure says which (this step timed out twice locally, cause unknown).
    const refused = op.locator('.ant-message-error')
    await Promise.race([op.getByTestId('invitation-qr').waitFor(), refused.waitFor().then(async () => Promise.reject(new Error(`生成邀请 refused: ${await refused.innerText()}`)))])
    const code = (await op.getByTestId('invitation-code').textContent())!.trim()
    expect(code).toMatch(/^[0-9A-Z]{8}$/)
    await op.waitForTimeout(400) // the dialog's opening animation
    await op.screenshot({ path: path.join(ARTIFACTS, 'console-stores-invitation.png'), fullPage: true })

    clerkContext = await phoneBrowser()
    const clerk = await clerkContext.newPage()
    await clerk.goto(`${server.url}/#/pages/mine/index`)
    await clerk.locator('input[placeholder="体验昵称（选填）"]').fill('新店员小周')
    await clerk.locator('.mine__login-button').click()
    await clerk.locator('.mine__nickname').filter({ hasText: '新店员小周' }).waitFor()
    // What the QR code opens.
    await clerk.goto(`${server.url}/#/pages/staff-join/index?code=${code}`)
    await clerk.locator('.join__store').filter({ hasText: here.name }).waitFor()
    await clerk.waitForTimeout(600)
    await clerk.screenshot({ path: path.join(ARTIFACTS, 'staff-join.png'), fullPage: true })
    await clerk.locator('.join__accept').click()
    await clerk.waitForURL(/pages\/staff-desk\/index/)
    await clerk.locator('input[placeholder^="输入券码"]').fill(wrong)
    await clerk.locator('.desk__verify').click()
    await clerk.locator('.desk__refusal').filter({ hasText: /^本店不能核销，请到「.+」核销$/ }).waitFor()
    expect(await clerk.locator('.desk__confirm').count()).toBe(0)
    await clerk.locator('input[placeholder^="输入券码"]').fill(good)
    await clerk.locator('.desk__verify').click()
    await clerk.locator('.desk__confirm').click()
    await clerk.locator('.desk__result--ok').filter({ hasText: '大宁店专享菜篮' }).waitFor()

    await op.getByRole('button', { name: '完 成' }).click()
    await op.locator('.ant-table-row').filter({ hasText: here.name }).filter({ hasText: '新店员小周' }).waitFor()
    await op.screenshot({ path: path.join(ARTIFACTS, 'console-stores.png'), fullPage: true })
  })

  it('pays the day-7 bonus the operator set on the next check-in, and the audit log shows the change', async () => {
    // A shopper on a six-day streak: yesterday's check-in carries it (history a test cannot live through).
    const shopper = await post('/api/auth/dev', { nickname: '连签六天的王阿姨' })
    const yesterday = businessDay(new Date(Date.now() - 86_400_000), 'Asia/Shanghai')
    await mongoose.connect(databaseUri)
    try {
      await mongoose.connection.db!.collection('checkins').insertOne({ _id: `${shopper.user.id}:${yesterday}` as never, userId: new mongoose.Types.ObjectId(shopper.user.id as string), day: yesterday, month: yesterday.slice(0, 7), kind: 'daily', cycleDay: 6, points: 1, bonus: 0, streak: 6, rewarded: true, rewardRefused: null, makeupSlot: null, createdAt: new Date(Date.now() - 86_400_000) })
      // A member on a streak registered before it began.
      await mongoose.connection.db!.collection('users').updateOne({ _id: new mongoose.Types.ObjectId(shopper.user.id as string) }, { $set: { createdAt: new Date(Date.now() - 7 * 86_400_000) } })
    } finally {
      await mongoose.disconnect()
    }
    // The operator raised the bonus from 10 to 15 in 规则设置 above: the seventh day pays 15.
    const checkin = await post('/api/checkins', {}, shopper.accessToken)
    expect(checkin).toMatchObject({ checkin: { streak: 7, cycleDay: 7, bonus: 15 } })

    const op = await consoleContext!.newPage()
    await op.goto(`${server.url}/console/audit?action=rules.update`)
    await op.locator('.audit__sentence').filter({ hasText: /^运营 演示管理员 修改规则，保存为第 \d+ 版（原因：.+）$/ }).first().waitFor()
    await op.goto(`${server.url}/console/audit?action=product.create`)
    await op.locator('.audit__sentence').filter({ hasText: /^运营 演示管理员 新建商品 [^商].*$/ }).first().waitFor()
    await op.screenshot({ path: path.join(ARTIFACTS, 'console-audit-product.png'), fullPage: true })
  })

  it('creates a coupon and grants it to a member by id; the points mall lists its items', async () => {
    const member = await post('/api/auth/dev', { nickname: '领券的赵姐' })
    const op = await consoleContext!.newPage()
    await op.goto(`${server.url}/console/coupons`)
    await op.getByRole('button', { name: '新建优惠券' }).click()
    await op.getByLabel('名称').fill('满 30 减 3')
    await op.getByLabel('面额（元）').fill('3')
    await op.getByLabel('使用门槛（元，0 为无门槛）').fill('30')
    await op.getByRole('button', { name: '创 建' }).click()
    const row = op.locator('.ant-table-row').filter({ hasText: '满 30 减 3' })
    await row.filter({ hasText: '0 / 0 / 0' }).waitFor()
    await row.getByRole('button', { name: '发 放' }).click()
    await op.locator('.ant-modal textarea').fill(`${member.user.id}\n0123456789abcdef01234567`)
    await op.locator('.ant-modal').getByRole('button', { name: '发 放' }).click()
    await op.getByText('已发放 1 张，1 个会员 ID 不存在').waitFor()
    await row.filter({ hasText: '1 / 0 / 0' }).waitFor()
    await op.screenshot({ path: path.join(ARTIFACTS, 'console-coupons.png'), fullPage: true })
    const coupons = (await (await fetch(`${server.url}/api/coupons`, { headers: { authorization: `Bearer ${member.accessToken}` } })).json()) as { coupons: Array<{ name: string }> }
    expect(coupons.coupons.map((c) => c.name)).toContain('满 30 减 3')

    // 领券链接: opened for shoppers to claim themselves; a shopper opens the link and takes one.
    await row.getByRole('button', { name: '领券链接' }).click()
    await op.getByLabel('可领总数（张）').fill('20')
    await op.getByRole('button', { name: '生成链接' }).click()
    await op.getByTestId('claim-qr').waitFor()
    await op.locator('.claim-link').getByText('共 20 张，已领 0 张').waitFor()
    const claimLink = /https?:\/\/\S+/.exec(await op.locator('.claim-link').getByText(/^网页链接：/).innerText())![0]
    expect(claimLink).toContain('/#/pages/coupon-claim/index?t=')
    await op.screenshot({ path: path.join(ARTIFACTS, 'console-claim-link.png'), fullPage: true })
    await op.locator('.ant-modal-close').click()
    await op.locator('.claim-link').waitFor({ state: 'detached' })
    await page.goto(claimLink)
    await page.locator('.coupon__name').filter({ hasText: '满 30 减 3' }).waitFor()
    await page.locator('.claim__take').click()
    await page.getByText('已领取，去我的优惠券').waitFor()
    await page.screenshot({ path: path.join(ARTIFACTS, 'coupon-claim.png'), fullPage: true })
    const claimed = (await (await fetch(`${server.url}/api/coupon-claims/${new URL(claimLink.replace('/#/', '/')).searchParams.get('t')}`)).json()) as { claim: { claimed: number } }
    expect(claimed.claim.claimed).toBe(1)

    await op.getByRole('menuitem', { name: '积分商城' }).click()
    await op.locator('.ant-table-row').filter({ hasText: '鲜邻环保购物袋' }).waitFor()
    await op.screenshot({ path: path.join(ARTIFACTS, 'console-mall.png'), fullPage: true })
  })
})

describe('an operator runs the daily sessions (console)', () => {
  it('sets tomorrow’s session of a product in 团期 (its price and quota), copies it forward, and finds a session’s basket orders in 订单 with their lines', async () => {
    const op = await consoleContext!.newPage()
    await op.goto(`${server.url}/console/sessions`)
    const name = '海南贵妃芒 5 斤装'
    await op.locator('.ant-table-row').filter({ hasText: name }).getByRole('button', { name }).click()
    const drawer = op.locator('.ant-drawer')
    await drawer.getByText(`团期日历 · ${name}`).waitFor()
    const tomorrow = drawer.locator('.ant-table-row').nth(1)
    await tomorrow.getByRole('button', { name: '设置', exact: true }).click()
    await op.getByLabel('团购价（元）').fill('35.9')
    await op.getByLabel('限量（件）').fill('80')
    await op.locator('.ant-modal').getByRole('button', { name: '保 存' }).click()
    await tomorrow.filter({ hasText: '¥35.90' }).filter({ hasText: '/ 80' }).filter({ hasText: '单独设置' }).waitFor()
    await tomorrow.getByRole('button', { name: '复制到后面几天' }).click()
    await op.locator('.ant-modal').getByRole('button', { name: '复 制' }).click()
    await drawer.locator('.ant-table-row').nth(2).filter({ hasText: '¥35.90' }).filter({ hasText: '/ 80' }).waitFor()
    await op.screenshot({ path: path.join(ARTIFACTS, 'console-sessions.png') })

    // The basket 小鲜 paid for earlier: found by its session and product, its lines in the expanded row.
    const shopper = await post('/api/auth/dev', { nickname: '小鲜' })
    const { orders } = (await (await fetch(`${server.url}/api/orders`, { headers: { authorization: `Bearer ${shopper.accessToken}` } })).json()) as { orders: Array<{ kind: string; lines: Array<{ productId: string; name: string; day: string }> }> }
    const line = orders.find((o) => o.kind === 'basket' && o.lines.length === 3)!.lines.find((l) => l.name === name)!
    await op.goto(`${server.url}/console/orders?sessionDay=${line.day}&productId=${line.productId}`)
    const row = op.locator('.ant-table-row').filter({ hasText: '小鲜' }).filter({ hasText: '共 3 件' })
    await row.locator('.ant-table-row-expand-icon').click()
    await op.locator('.ant-table-expanded-row').filter({ hasText: name }).filter({ hasText: '丹东红颜草莓 2 斤' }).waitFor()
    await op.screenshot({ path: path.join(ARTIFACTS, 'console-orders-basket.png'), fullPage: true })
  })
})

describe('an operator keeps reviews trustworthy (console)', () => {
  it('hides a review in 邀请与评价 with a reason; the product page no longer shows it', async () => {
    const op = await consoleContext!.newPage()
    await op.goto(`${server.url}/console/trust?tab=reviews&state=visible`)
    const row = op.locator('.ant-table-row').filter({ hasText: '西兰花很新鲜，门店取货很快' })
    await row.waitFor()
    await row.locator('.ant-image img').first().waitFor()
    await op.screenshot({ path: path.join(ARTIFACTS, 'console-reviews.png'), fullPage: true })
    await row.getByRole('button', { name: '隐 藏' }).click()
    await op.locator('.ant-modal textarea').fill('图片与商品不符')
    await op.locator('.ant-modal').getByRole('button', { name: '确 定' }).click()
    // The success message (not the 已隐藏 filter, which has the same words), then the row leaves the list.
    await op.locator('.ant-message').getByText('已隐藏').waitFor()
    await row.waitFor({ state: 'detached' })
    await op.goto(`${server.url}/console/trust?tab=reviews&state=hidden`)
    await op.locator('.ant-table-row').filter({ hasText: '图片与商品不符' }).waitFor()

    const found = (await (await fetch(`${server.url}/api/products?q=${encodeURIComponent('西兰花')}`)).json()) as { products: Array<{ id: string }> }
    await page.goto(`${server.url}/#/pages/product/index?id=${found.products[0]!.id}`)
    // Loaded (the demo history's members reviewed it too, or nobody did), and the hidden one is not there.
    await page.locator('.product__reviews .product__hint').or(page.locator('.product__reviews-score')).first().waitFor()
    expect(await page.locator('.product__reviews').innerText()).not.toContain('西兰花很新鲜')
  })
})

describe('growth analytics (console)', () => {
  // The demo history is lived in the background of `npm start`: these screens read it once it is done.
  beforeAll(async () => {
    const until = Date.now() + 8 * 60_000
    while (!server.output().includes('demo history ready') && Date.now() < until) await new Promise((r) => setTimeout(r, 2000))
    expect(server.output()).toContain('demo history ready')
  }, 9 * 60_000)

  it('shows the growth trend from the event rollups and exports it as CSV', async () => {
    const op = await consoleContext!.newPage()
    await op.goto(`${server.url}/console/overview`)
    const card = op.locator('.ant-card').filter({ hasText: '增长趋势' })
    await card.locator('canvas').first().waitFor()
    const download = op.waitForEvent('download')
    await card.getByRole('button', { name: '导出 CSV' }).click()
    const file = await (await download).path()
    const csv = fs.readFileSync(file!, 'utf8').replace(/^\ufeff/, '').split('\n')
    expect(csv[0]).toBe('日期,日活会员,周活会员,月活会员,新增会员,付费会员,复购会员,支付金额（分）,退款金额（分）,净收入（分）,客单价（分）')
    expect(csv).toHaveLength(31)
    expect(csv[30]).toMatch(new RegExp(`^${businessDay(new Date(), 'Asia/Shanghai')},\\d+,`))
    // The money columns are 概览's cards, day by day.
    const overview = (await (await op.request.get(`${server.url}/api/admin/overview?days=14`)).json()) as { days: Array<{ day: string; newMembers: number; paidFen: number; refundedFen: number; netFen: number }> }
    const rows = new Map(csv.slice(1).map((line) => [line.split(',')[0], line.split(',').map(Number)]))
    for (const d of overview.days) expect([rows.get(d.day)![7], rows.get(d.day)![8], rows.get(d.day)![9]]).toEqual([d.paidFen, d.refundedFen, d.netFen])
    // (New members are compared in demo-history.test.ts: tests here backdate accounts to fake streaks.)
    expect(overview.days.reduce((n, d) => n + d.paidFen, 0)).toBeGreaterThan(0)
    await op.screenshot({ path: path.join(ARTIFACTS, 'console-growth-trend.png'), fullPage: true })
  })

  it('shows retention as a heatmap, a funnel by channel, lifecycle tiers, check-ins by streak, group-buy success, invitations, RFM segments, points liability and leaders over the demo history, each exported as CSV', async () => {
    const op = await consoleContext!.newPage()
    const exported = async (button: Locator) => {
      const download = op.waitForEvent('download')
      await button.click()
      return fs.readFileSync((await (await download).path())!, 'utf8').replace(/^\ufeff/, '').split('\n')
    }
    await op.goto(`${server.url}/console/analytics`)
    await op.getByRole('tab', { name: '留存' }).waitFor()
    await op.locator('canvas').first().waitFor()
    const retention = await exported(op.getByRole('button', { name: '导出 CSV' }))
    expect(retention[0]).toBe('注册周,周一,注册人数,第1天可统计,第1天回访,第1天留存率,第7天可统计,第7天回访,第7天留存率,第30天可统计,第30天回访,第30天留存率')
    // The demo's synthetic history: weeks of cohorts, the older ones with a day-30 rate.
    expect(retention.length).toBeGreaterThan(8)
    expect(retention[1]).toMatch(/^\d{4}-W\d{2},\d{4}-\d{2}-\d{2},\d+,\d+,\d+,\d+\.\d%/)
    await op.waitForTimeout(600) // the chart's drawing animation
    await op.screenshot({ path: path.join(ARTIFACTS, 'console-retention.png'), fullPage: true })
    // A cohort opens 会员 with the members who registered that week: as many as the report counted.
    const cohort = op.locator('.retention__cohorts a').nth(2)
    const size = Number(/（(\d+) 人）/.exec((await cohort.textContent())!)![1])
    expect(size).toBeGreaterThan(0)
    await cohort.click()
    await op.waitForURL(/\/members\?registeredFrom=/)
    await op.locator('.members__summary').filter({ hasText: `共 ${size} 位会员` }).waitFor()
    await op.goto(`${server.url}/console/analytics`)
    await op.getByRole('tab', { name: '留存' }).waitFor()

    await op.getByRole('tab', { name: '转化漏斗' }).click()
    await op.waitForURL(/tab=funnel/)
    await op.locator('canvas').first().waitFor()
    await op.locator('.ant-table-row').filter({ hasText: '好友邀请' }).waitFor()
    const funnel = await exported(op.getByRole('button', { name: '导出 CSV' }))
    expect(funnel[0]).toBe('渠道,访问,浏览商品,浏览商品转化率,加购,加购转化率,下单,下单转化率,支付,支付转化率,提货,提货转化率')
    expect(funnel[1]).toMatch(/^全部渠道,\d+,\d+,\d+\.\d%/)
    await op.waitForTimeout(600)
    await op.screenshot({ path: path.join(ARTIFACTS, 'console-funnel.png'), fullPage: true })

    await op.getByRole('tab', { name: '用户分层' }).click()
    await op.waitForURL(/tab=lifecycle/)
    await op.locator('canvas').first().waitFor()
    const tiers = await exported(op.getByRole('button', { name: '导出 CSV' }))
    // The tier names carry the rules' numbers.
    expect(tiers[0]).toBe('日期,新客,活跃,低频,沉默 30–45 天,沉默 46–60 天,沉默 61–89 天,流失（90 天以上）')
    expect(tiers[1]).toMatch(/^\d{4}-\d{2}-\d{2}(,\d+){7}$/)
    await op.waitForTimeout(600)
    await op.screenshot({ path: path.join(ARTIFACTS, 'console-lifecycle.png'), fullPage: true })

    await op.getByRole('tab', { name: '签到' }).click()
    await op.waitForURL(/tab=checkins/)
    await op.locator('canvas').first().waitFor()
    await op.getByText(/签到会员 7 天内下单/).waitFor()
    const checkins = await exported(op.getByRole('button', { name: '导出 CSV' }))
    expect(checkins[0]).toBe('日期,签到人次,补签次数,连签1 天,连签2–3 天,连签4–6 天,连签7–13 天,连签14–29 天,连签30 天以上')
    expect(checkins).toHaveLength(31)
    await op.waitForTimeout(600)
    await op.screenshot({ path: path.join(ARTIFACTS, 'console-checkins.png'), fullPage: true })

    // 拼团: the demo history's groups are those of the demo's own activities, so they carry titles.
    await op.getByRole('tab', { name: '拼团' }).click()
    await op.waitForURL(/tab=groupbuys/)
    await op.locator('canvas').first().waitFor()
    await op.locator('.ant-table-row').filter({ hasText: '人团' }).first().waitFor()
    expect(await op.locator('.ant-table-row').filter({ hasText: '已删除的活动' }).count()).toBe(0)
    const groups = await exported(op.getByRole('button', { name: '导出 CSV' }))
    expect(groups[0]).toBe('活动,成团人数,成团,未成团,成团率,自动成团,平均成团用时（分钟）')
    expect(groups[1]).toMatch(/^[^,]+,\d+,\d+,\d+,\d+\.\d%,\d+,\d*$/)
    await op.waitForTimeout(600)
    await op.screenshot({ path: path.join(ARTIFACTS, 'console-groupbuy-report.png'), fullPage: true })

    await op.getByRole('tab', { name: '邀请裂变' }).click()
    await op.waitForURL(/tab=invitations/)
    await op.locator('canvas').first().waitFor()
    const invitations = await exported(op.getByRole('button', { name: '导出 CSV' }))
    expect(invitations[0]).toBe('周,周一,分享次数,分享被打开,好友带来的新会员,其中首单,活跃会员,K 因子')
    expect(invitations[1]).toMatch(/^\d{4}-W\d{2},\d{4}-\d{2}-\d{2},\d+,\d+,\d+,\d+,\d+,(\d+\.\d{2}|—)$/)
    await op.waitForTimeout(600)
    await op.screenshot({ path: path.join(ARTIFACTS, 'console-invitations.png'), fullPage: true })

    // RFM: the segments over the rules' window; a segment's members open below it.
    await op.getByRole('tab', { name: 'RFM 分群' }).click()
    await op.waitForURL(/tab=rfm/)
    await op.locator('canvas').first().waitFor()
    await op.getByText(/至少 3 单为“频”/).waitFor()
    await op.locator('.ant-table-row').filter({ hasText: '一般发展（潜力）' }).click()
    await op.locator('.ant-card').filter({ hasText: '一般发展（潜力）的会员' }).locator('.ant-table-row').first().waitFor()
    // The cell's count, then the same cell in 会员, then one of its members: the three screens agree.
    const cellRow = op.locator('.ant-table-row').filter({ hasText: '一般发展（潜力）' }).first()
    const cellCount = Number((await cellRow.locator('td').nth(2).innerText()).trim())
    expect(cellCount).toBeGreaterThan(0)
    const rfmPage = op.url()
    await op.getByRole('link', { name: '在会员列表中查看' }).click()
    await op.waitForURL(/\/console\/members\?segment=newcomer&day=/)
    await op.locator('.members__summary').filter({ hasText: `共 ${cellCount} 位会员` }).waitFor()
    const firstMember = op.locator('.ant-table-row').first()
    await firstMember.filter({ hasText: '一般发展（潜力）' }).waitFor()
    const paidCell = (await firstMember.locator('td').nth(3).innerText()).trim()
    expect(paidCell).toMatch(/^¥[\d,]+\.\d{2}（\d+ 单）$/)
    await firstMember.getByRole('link').first().click()
    const growthCard = op.locator('.member__growth')
    await growthCard.getByText('一般发展（潜力）').waitFor()
    await growthCard.getByText(paidCell).waitFor()
    await op.screenshot({ path: path.join(ARTIFACTS, 'console-member-growth.png'), fullPage: true })
    await op.goto(rfmPage)
    await op.locator('.ant-table-row').filter({ hasText: '一般发展（潜力）' }).first().waitFor()
    const rfm = await exported(op.getByRole('button', { name: '导出 CSV' }))
    expect(rfm[0]).toBe('分群,说明,会员数,消费金额（元）')
    expect(rfm).toHaveLength(9)
    await op.waitForTimeout(600)
    await op.screenshot({ path: path.join(ARTIFACTS, 'console-rfm.png'), fullPage: true })

    // 积分负债: the shoppers above earned points; their value follows the rules' rate.
    await op.getByRole('tab', { name: '积分负债' }).click()
    await op.waitForURL(/tab=points/)
    // The hourly job counted the ledger at start, before those points: 重新统计 counts it now.
    await op.getByRole('button', { name: '重新统计' }).click()
    await op.getByText(/本次统计于/).waitFor()
    await op.locator('.ant-btn-loading').filter({ hasText: '重新统计' }).waitFor({ state: 'detached' })
    await op.getByText('没有未过期的积分').waitFor({ state: 'detached' })
    await op.locator('canvas').first().waitFor()
    await op.getByText(/积分抵 1 元/).waitFor()
    const liability = await exported(op.getByRole('button', { name: '导出 CSV' }))
    expect(liability[0]).toBe('到期月份,未过期积分,折合金额（元）')
    expect(liability[1]).toMatch(/^\d{4}-\d{2},\d+,\d+\.\d{2}$/)
    expect(liability).toContain('月份,发放,消耗,过期,调整与撤回')
    await op.waitForTimeout(600)
    await op.screenshot({ path: path.join(ARTIFACTS, 'console-points-liability.png'), fullPage: true })

    // 团长: the leader the operator approved above is listed.
    await op.getByRole('tab', { name: '团长' }).click()
    await op.waitForURL(/tab=leaders/)
    await op.locator('.ant-table-row').filter({ hasText: '李秀英' }).waitFor()
    const leaders = await exported(op.getByRole('button', { name: '导出 CSV' }))
    expect(leaders[0]).toBe('团长,小区,状态,绑定会员,新增会员,订单,下单会员,支付金额（元）,退款金额（元）,净收入（元）,佣金（元）')
    expect(leaders.some((line) => line.startsWith('李秀英,田林十二村,正常,'))).toBe(true)
    await op.screenshot({ path: path.join(ARTIFACTS, 'console-leader-report.png'), fullPage: true })

    // 用户运营: a 回归礼包 for silent members from the built-in template.
    await op.getByRole('menuitem', { name: '用户运营' }).click()
    await op.getByRole('button', { name: '新建活动' }).click()
    await op.getByText('满 ¥99.00 减 ¥20.00，7 天有效').waitFor()
    await op.getByLabel('活动名称').fill('十二月回归礼包')
    await op.locator('.ant-modal').getByRole('button', { name: '创 建' }).click()
    await op.locator('.ant-table-row').filter({ hasText: '十二月回归礼包' }).filter({ hasText: '进行中' }).waitFor()
    await op.locator('.ant-table-row').filter({ hasText: '十二月回归礼包' }).getByRole('button', { name: '效 果' }).click()
    await op.getByText('活动还没有触达任何会员。').waitFor()
    await op.screenshot({ path: path.join(ARTIFACTS, 'console-campaigns.png'), fullPage: true })
    await op.keyboard.press('Escape')

    // 立即执行, with quiet hours off (this test runs at any hour): the demo history's silent members are reached.
    const auth = await operatorAuth()
    const current = (await (await fetch(`${server.url}/api/admin/rules`, { headers: auth })).json()) as { version: number; rules: any }
    const rules = structuredClone(current.rules)
    Object.assign(rules.marketing, { quietFromHour: 0, quietUntilHour: 0 })
    const saved = await fetch(`${server.url}/api/admin/rules`, { method: 'PUT', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ baseVersion: current.version, rules, reason: '浏览器测试：关闭免打扰时段' }) })
    expect(saved.status).toBe(200)
    await op.locator('.ant-table-row').filter({ hasText: '十二月回归礼包' }).getByRole('button', { name: '立即执行' }).click()
    await op.locator('.ant-message').getByText(/^已触达 \d+ 位会员$/).waitFor()
    // Its effect a minute after sending: 观察中, no figures, and when the window ends.
    const effect = async () => {
      await op.locator('.ant-table-row').filter({ hasText: '十二月回归礼包' }).getByRole('button', { name: '效 果' }).click()
      return op.locator('.ant-drawer-open')
    }
    let drawer = await effect()
    await drawer.getByTestId('uplift-status').filter({ hasText: '观察中' }).waitFor()
    await drawer.getByText(/观察期结束后出结果/).waitFor()
    expect(await drawer.getByText(/置信区间/).count()).toBe(0)
    await op.screenshot({ path: path.join(ARTIFACTS, 'console-campaign-observing.png'), fullPage: true })
    await op.keyboard.press('Escape')

    // One of them, a synthetic member, signs in by nickname: the coupon and the notice are there.
    await mongoose.connect(databaseUri)
    let nickname: string
    let campaignId = ''
    try {
      const db = mongoose.connection.db!
      const campaign = (await db.collection('campaigns').findOne({ name: '十二月回归礼包' }))!
      campaignId = String(campaign._id)
      const touch = (await db.collection('campaign_touches').findOne({ campaignId: campaign._id, group: 'reached', delivered: true }))!
      nickname = ((await db.collection('users').findOne({ _id: touch.userId }))!).nickname as string
      // The server runs on the real clock, so its week cannot pass here: the campaign's touches are
      // moved back eight days instead, as if it had been sent then.
      for (const x of await db.collection('campaign_touches').find({ campaignId: campaign._id }).toArray()) {
        await db.collection('campaign_touches').updateOne({ _id: x._id }, { $set: { at: new Date((x.at as Date).getTime() - 8 * 86_400_000) } })
      }
    } finally {
      await mongoose.disconnect()
    }
    // The window has passed: the screen no longer says 观察中 but what the server concluded.
    const upliftNow = (await (await fetch(`${server.url}/api/admin/campaigns/${campaignId}/uplift`, { headers: auth })).json()) as { status: string; method: string }
    expect(upliftNow.status).not.toBe('observing')
    drawer = await effect()
    await drawer.getByTestId('uplift-status').filter({ hasText: upliftNow.status === 'concluded' ? '已出结果' : '样本不足' }).waitFor()
    if (upliftNow.status === 'concluded') await drawer.getByText(new RegExp(upliftNow.method.replace(/[()（）]/g, '.'))).waitFor()
    await op.screenshot({ path: path.join(ARTIFACTS, 'console-campaign-result.png'), fullPage: true })
    await op.keyboard.press('Escape')
    silentContext = await phoneBrowser()
    const silent = await silentContext.newPage()
    await silent.goto(`${server.url}/#/pages/mine/index`)
    await silent.locator('input[placeholder="体验昵称（选填）"]').fill(nickname)
    await silent.locator('.mine__login-button').click()
    await silent.locator('.mine__nickname').filter({ hasText: nickname }).waitFor()
    // 我的 counts the unread notices as soon as the member signs in (no reload).
    const notices = silent.locator('.taro_page').last().locator('.nut-cell').filter({ hasText: '消息通知' })
    await notices.filter({ hasText: '条未读' }).waitFor()
    await notices.click()
    await silent.locator('.notices__item').filter({ hasText: '好久不见，送你一张回归券' }).waitFor()
    await silent.screenshot({ path: path.join(ARTIFACTS, 'campaign-notice.png'), fullPage: true })
    await silent.goto(`${server.url}/#/pages/coupons/index`)
    await silent.locator('.coupons__list').getByText('回归礼券').waitFor()
    await silent.waitForTimeout(500) // the page's slide-in
    await silent.screenshot({ path: path.join(ARTIFACTS, 'campaign-coupon.png'), fullPage: true })

    // 新人礼包: while it runs, a visitor's home page offers what a new member gets, in the campaign's own figures.
    const welcome = CAMPAIGN_TEMPLATES.find((c) => c.key === 'welcome')!.campaign
    const created = await fetch(`${server.url}/api/admin/campaigns`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(welcome) })
    expect(created.status).toBe(201)
    const visitor = await phoneBrowser()
    try {
      const home = await visitor.newPage()
      await home.goto(`${server.url}/#/pages/index/index`)
      await home.locator('.home__banner-item').filter({ hasText: '新人专享' }).filter({ hasText: '新人登录送满 39 减 10 券，7 天内有效' }).first().waitFor()
      await home.screenshot({ path: path.join(ARTIFACTS, 'welcome-banner.png') })
    } finally {
      await visitor.close()
    }
    // The silent member is no newcomer: no such banner on their home page.
    await silent.goto(`${server.url}/#/pages/index/index`)
    await silent.locator('.home__banner-item').first().waitFor()
    expect(await silent.locator('.home__banner-item').filter({ hasText: '新人专享' }).count()).toBe(0)
  })
})

describe('page copy follows the rules the server serves', () => {
  it('shows the check-in bonus, points per yuan, assist helpers and invite rewards as set, on every page that quotes them', async () => {
    const auth = await operatorAuth()
    const current = (await (await fetch(`${server.url}/api/admin/rules`, { headers: auth })).json()) as { version: number; rules: any }
    const rules = structuredClone(current.rules)
    Object.assign(rules.checkin, { cycleDays: 6, cycleBonusPoints: 13 })
    rules.points.pointsPerYuan = 97
    rules.assist.helpersNeeded = 4
    Object.assign(rules.referral, { inviterPointsOnFirstOrder: 117, inviteeCouponFen: 1300, bindWithinHours: 36 })
    const saved = await fetch(`${server.url}/api/admin/rules`, { method: 'PUT', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ baseVersion: current.version, rules, reason: '检查页面文案随规则变化' }) })
    expect(saved.status).toBe(200)
    const served = ((await (await fetch(`${server.url}/api/rules`)).json()) as { rules: any }).rules
    expect(served).toMatchObject({ checkin: { cycleDays: 6, cycleBonusPoints: 13 }, points: { pointsPerYuan: 97 }, assist: { helpersNeeded: 4 }, referral: { inviterPointsOnFirstOrder: 117, inviteeCouponFen: 1300 } })

    // Each page, freshly opened (a new launch asks the rules again): the new numbers, none of the old.
    const pages: Array<[string, RegExp[]]> = [
      ['pages/index/index', [/连签 6 天额外送 13 积分/, /好友首单你得 117 积分/]],
      ['pages/points/index', [/97 积分可抵 1 元/]],
      ['pages/assist/index', [/邀 4 位好友 \d+ 小时内助力/]],
      ['pages/invite/index', [/你得 117 积分，好友得 ¥13 无门槛券/, /已注册超过 36 小时/]],
      ['pages/checkin/index', [/连签 6 天额外奖励 13 积分|明天签到可得 \d+ 积分/]],
    ]
    // Leave the app first: the next visit is a new launch, which asks the rules again.
    await page.goto('about:blank')
    for (const [route, expected] of pages) {
      await page.goto(`${server.url}/#/${route}`)
      for (const text of expected) await page.getByText(text).first().waitFor()
      const shown = await page.locator('.taro_page').last().innerText()
      for (const stale of [/额外送 (7|10|15) 积分/, /100 积分可抵/, /邀 3 位好友 \d+ 小时内助力/, /你得 100 积分/, /送你 10 元/, /超过 24 小时/]) expect(shown).not.toMatch(stale)
    }
  })
})

describe('a community group-buy session, from 接龙 to after-sale', () => {
  it('leader shares a chain; a member 跟团 and pays; the 分拣单 lists it; the leader confirms arrival and the member is told; one line is handed over; the member claims after-sale on it with a photo; the operator approves; the member sees the refund', async () => {
    // Its own people, so it runs alone too: the demo leader, a neighbour bound through the leader's link, the demo operator.
    chainLeaderContext = await phoneBrowser()
    chainMemberContext = await phoneBrowser()
    chainConsoleContext = await desktopBrowser()
    const leader = await chainLeaderContext.newPage()
    const member = await chainMemberContext.newPage()
    const op = await chainConsoleContext.newPage()
    await leader.goto(`${server.url}/#/pages/mine/index`)
    await leader.getByText('以社区团长身份体验团长中心 ›').click()
    await leader.locator('.mine__nickname').filter({ hasText: '团长王姐' }).waitFor()
    await leader.goto(`${server.url}/#/pages/leader-centre/index`)
    const code = (await leader.locator('.centre__code').textContent())!.replace('团长码', '').trim()
    await member.goto(`${server.url}/#/pages/index/index?leader=${code}`)
    await member.locator('.home__leader-accept').click()
    await member.locator('.sign-in-sheet input').fill('接龙小周')
    await member.locator('.sign-in-sheet__button').click()
    await member.locator('.home__leader').waitFor({ state: 'detached' })
    await op.goto(`${server.url}/console/`)
    await op.getByLabel('用户名').fill(DEMO_OPERATOR.username)
    await op.getByLabel('密码').fill(DEMO_OPERATOR.password)
    await op.getByRole('button', { name: '登 录' }).click()
    await op.locator('.ant-layout-sider').waitFor()

    // 团长中心 → 发起今日接龙: the chain of the session taking orders now, to share into the chat.
    await leader.locator('.nut-button').filter({ hasText: '发起今日接龙' }).click()
    await leader.locator('.chain__title').waitFor()
    const chainUrl = leader.url()
    expect(chainUrl).toMatch(/pages\/chain\/index\?leader=[0-9A-Z]{8}&day=\d{4}-\d{2}-\d{2}/)
    const day = /day=(\d{4}-\d{2}-\d{2})/.exec(chainUrl)![1]!

    // The member opens the shared chain and 跟团 two products, then pays for the basket at the leader's point.
    await member.goto(chainUrl)
    for (const name of ['阳光玫瑰葡萄 2 串', '有机西兰花 500g']) {
      await member.locator('.chain__product').filter({ hasText: name }).locator('.nut-button').click()
      // Each add's own toast: the first one gone before the second is counted.
      await member.getByText('已加入购物车').waitFor()
      await member.getByText('已加入购物车').waitFor({ state: 'hidden' })
    }
    await member.screenshot({ path: path.join(ARTIFACTS, 'chain.png'), fullPage: true })
    await member.locator('.chain__checkout').click()
    await member.locator('.cart__line').nth(1).waitFor()
    await member.locator('.cart__checkout').click()
    await member.locator('.checkout__store--leader .checkout__leader-tag').waitFor()
    await member.locator('.checkout__pay').click()
    await member.getByText('确认支付', { exact: true }).last().click()
    await member.locator('.order__code').waitFor()
    const orderUrl = member.url()
    const pickupCode = (await member.locator('.order__code').textContent())!.trim()

    // The chain lists the member, masked, with what they bought.
    await member.goto(chainUrl)
    await member.locator('.chain__entry').filter({ hasText: '接**周' }).filter({ hasText: '阳光玫瑰葡萄 2 串 ×1' }).waitFor()

    // 分拣单 in the console: the session's units at the leader's point.
    await op.goto(`${server.url}/console/pick-list?day=${day}`)
    await op.locator('.ant-card-small').filter({ hasText: '团长点 · 漕溪新村自提点' }).filter({ hasText: '阳光玫瑰葡萄 2 串' }).waitFor()
    await op.screenshot({ path: path.join(ARTIFACTS, 'console-pick-list.png'), fullPage: true })

    // 备货单 → 到货确认: the member is told the goods arrived.
    await leader.goto(`${server.url}/#/pages/leader-stock/index`)
    await leader.locator('.stock__day').last().click()
    await leader.locator('.stock__row').filter({ hasText: '阳光玫瑰葡萄 2 串' }).waitFor()
    await leader.screenshot({ path: path.join(ARTIFACTS, 'leader-stock.png'), fullPage: true })
    await leader.locator('.stock__bar .nut-button').filter({ hasText: '确认到货并通知邻居' }).click()
    await leader.locator('.taro-modal__foot, .taro-modal__footer').getByText('确认到货').click()
    await leader.locator('.stock__arrived').first().waitFor()
    // The 备货单 as an image to share into the chat (drawn in the page, nothing fetched).
    await leader.locator('.stock__make-image').click()
    const drawn = leader.locator('.stock__image-img img, img.stock__image-img').first()
    await drawn.waitFor()
    expect(await drawn.getAttribute('src')).toMatch(/^data:image\/png;base64,/)
    await leader.waitForTimeout(500) // the popup's fade-in
    await leader.screenshot({ path: path.join(ARTIFACTS, 'leader-stock-image.png') })
    await member.goto(`${server.url}/#/pages/notices/index`)
    await member.locator('.notices__item').filter({ hasText: '商品已到货，可以提货了' }).waitFor()

    // The leader hands over the grapes only: the broccoli stays to hand over.
    await leader.goto(`${server.url}/#/pages/leader-centre/index`)
    await leader.locator('input[placeholder^="输入提货码"]').fill(pickupCode)
    await leader.locator('.centre__confirm').click()
    const broccoli = leader.locator('.centre__handover-line').filter({ hasText: '有机西兰花 500g' })
    await broccoli.locator('.stepper__button--minus').click()
    await leader.locator('.centre__handover-confirm').click()
    await leader.locator('.centre__result--ok').filter({ hasText: '还有 1 件待交付' }).waitFor()

    // The member claims after-sale on the grapes, with a photo; the refund shows before sending.
    await member.goto(orderUrl)
    const grapes = member.locator('.order__product').filter({ hasText: '阳光玫瑰葡萄 2 串' })
    await grapes.getByText('申请售后').click()
    await member.locator('.after-sale__refund').filter({ hasText: '预计退款' }).waitFor()
    await member.getByText('质量问题').click()
    await member.locator('.after-sale__note textarea').fill('有几颗葡萄压坏了')
    const photoFile = path.join(os.tmpdir(), `xl-after-sale-${process.pid}.jpg`)
    fs.writeFileSync(photoFile, await sharp({ create: { width: 800, height: 600, channels: 3, background: '#6a4' } }).jpeg().toBuffer())
    const chooser = member.waitForEvent('filechooser')
    await member.locator('.photo-picker__photo--add').click()
    await (await chooser).setFiles(photoFile)
    await member.locator('.photo-picker__img').first().waitFor()
    await member.screenshot({ path: path.join(ARTIFACTS, 'after-sale.png'), fullPage: true })
    await member.locator('.after-sale__submit').click()
    await member.locator('.order__after-sale-item').filter({ hasText: '待审核' }).waitFor()

    // The operator approves it in 售后, its photo beside it.
    await op.goto(`${server.url}/console/after-sales`)
    const row = op.locator('.ant-table-row').filter({ hasText: '阳光玫瑰葡萄 2 串' })
    await row.locator('img').first().waitFor()
    await op.screenshot({ path: path.join(ARTIFACTS, 'console-after-sales.png'), fullPage: true })
    await row.getByRole('button', { name: '同意退款' }).click()
    await op.locator('.ant-modal').getByRole('button', { name: '确认退款' }).click()
    // The console's own answer (not the 已退款 filter, which has the same words).
    await op.locator('.ant-message').getByText(/^已退款 ¥|^已同意，退款处理中/).waitFor()

    // The member sees the refund on the order (once WeChat Pay has confirmed it, if it answered later).
    const refundedItem = member.locator('.order__after-sale-item').filter({ hasText: '已退款' })
    for (let tries = 0; tries < 6; tries++) {
      await member.goto(orderUrl)
      await member.locator('.order__after-sale-item').first().waitFor()
      if (await refundedItem.count()) break
      await member.waitForTimeout(5000)
    }
    await refundedItem.waitFor()
    await member.locator('.order__refunded').filter({ hasText: '已退 1 件' }).waitFor()
    await member.screenshot({ path: path.join(ARTIFACTS, 'order-after-sale.png'), fullPage: true })
  })
})

describe('every browser of this file', () => {
  it('asked nothing of any host but the app itself, and no page threw', () => {
    expect(strayRequests).toEqual([])
    expect(pageErrors).toEqual([])
  })
})
