import fs from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'

/**
 * Draws the empty-state pictures the app ships with (`npx tsx miniapp/assets/empty/make-art.ts`),
 * so no page loads the UI kit's default pictures from a third-party CDN (our CSP blocks it, and a
 * mini-program must not depend on it). Soft shop colours, 2× for phone screens.
 */
const frame = (body: string) => `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="320" viewBox="0 0 160 160">
  <ellipse cx="80" cy="136" rx="52" ry="8" fill="#f2f2f2"/>${body}</svg>`

const ART: Record<string, string> = {
  // A shopping basket with a leaf: nothing here yet.
  empty: frame(`
  <path d="M38 64h84l-9 58a8 8 0 0 1-8 7H55a8 8 0 0 1-8-7z" fill="#fff1ee" stroke="#ffb8a8" stroke-width="4" stroke-linejoin="round"/>
  <path d="M56 64l14-26M104 64L90 38" stroke="#ffb8a8" stroke-width="4" stroke-linecap="round"/>
  <path d="M64 82v28M80 82v28M96 82v28" stroke="#ffd5cc" stroke-width="4" stroke-linecap="round"/>
  <path d="M98 30c10-8 24-6 28 2-10 8-22 8-28-2z" fill="#9be3b0"/>`),
  // A box with a mark: something went wrong.
  error: frame(`
  <rect x="36" y="52" width="88" height="72" rx="10" fill="#fff7e6" stroke="#ffc069" stroke-width="4"/>
  <path d="M36 72h88" stroke="#ffc069" stroke-width="4"/>
  <path d="M80 84v18" stroke="#fa8c16" stroke-width="6" stroke-linecap="round"/>
  <circle cx="80" cy="113" r="4" fill="#fa8c16"/>`),
  // A cloud with a break: the network is down.
  network: frame(`
  <path d="M52 110a22 22 0 0 1 2-44 30 30 0 0 1 56-4 24 24 0 0 1 2 48z" fill="#eef6ff" stroke="#91caff" stroke-width="4" stroke-linejoin="round"/>
  <path d="M66 96l28-24M66 72l28 24" stroke="#69b1ff" stroke-width="5" stroke-linecap="round"/>`),
}

async function main() {
  for (const [name, svg] of Object.entries(ART)) {
    await sharp(Buffer.from(svg)).png({ compressionLevel: 9, palette: true }).toFile(path.join(__dirname, `${name}.png`))
  }
  console.log(fs.readdirSync(__dirname).filter((f) => f.endsWith('.png')).join(' '))
}

void main()
