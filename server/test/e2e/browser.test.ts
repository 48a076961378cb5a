import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { REPO_ROOT } from '../../src/paths'
import { ensureH5Build } from '../../scripts/h5-build'
import { testDatabaseUri } from '../harness'
import { startServerProcess, type ServerProcess } from '../server-process'

jest.setTimeout(300_000)

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const ARTIFACTS = path.join(REPO_ROOT, 'artifacts', 'e2e')

let server: ServerProcess
let context: BrowserContext
let page: Page

beforeAll(async () => {
  ensureH5Build()
  // `npm start`, exactly as the README says, on this test run's database.
  server = await startServerProcess(['npm', 'start', '--silent'], { PORT: '0', MONGODB_URI: testDatabaseUri('e2e_browser') })
  fs.mkdirSync(ARTIFACTS, { recursive: true })
  context = await chromium.launchPersistentContext(fs.mkdtempSync(path.join(os.tmpdir(), 'chromium-')), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 375, height: 667 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
  })
  page = await context.newPage()
})

afterAll(async () => {
  await context?.close()
  await server?.stop()
})

describe('a shopper in the browser (H5 build)', () => {
  it('sees the shop with its demo products on the home page', async () => {
    await page.goto(`${server.url}/#/pages/index/index`)
    await page.getByText('海南贵妃芒 5 斤装').waitFor()
    await page.getByText('鲜邻优选·徐汇漕溪店').waitFor()
    await page.screenshot({ path: path.join(ARTIFACTS, 'home.png'), fullPage: true })
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
})
