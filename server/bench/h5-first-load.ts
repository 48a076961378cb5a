import { chromium } from 'playwright-core'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
/** "Slow 4G" as the issue sets it: 1.6 Mb/s down, 150 ms round trip. */
const SLOW_4G = { offline: false, latency: 150, downloadThroughput: (1.6 * 1_000_000) / 8, uploadThroughput: (0.75 * 1_000_000) / 8 }

/**
 * The H5 shop's first load for a new visitor (empty cache, phone screen) on slow 4G: bytes over the
 * wire (compressed, headers included) and seconds until the home page shows its products.
 */
export async function h5FirstLoad(base: string): Promise<{ kb: number; seconds: number; requests: number }> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'] })
  try {
    const context = await browser.newContext({ viewport: { width: 375, height: 667 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' })
    const page = await context.newPage()
    const cdp = await context.newCDPSession(page)
    await cdp.send('Network.enable')
    await cdp.send('Network.emulateNetworkConditions', SLOW_4G)
    let bytes = 0
    let requests = 0
    cdp.on('Network.loadingFinished', (e: { encodedDataLength: number }) => {
      bytes += e.encodedDataLength
      requests++
    })
    const started = Date.now()
    await page.goto(`${base}/#/pages/index/index`)
    await page.locator('.product-card').first().waitFor({ timeout: 60_000 })
    const seconds = (Date.now() - started) / 1000
    return { kb: bytes / 1024, seconds, requests }
  } finally {
    await browser.close()
  }
}
