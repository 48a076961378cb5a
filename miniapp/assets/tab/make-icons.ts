/**
 * Draws the tab bar icons (81×81 PNG, as WeChat recommends) from simple shapes, so the repo needs
 * no image editor: `npx tsx miniapp/assets/tab/make-icons.ts`. Inactive icons are grey outlines,
 * active ones filled in the brand red.
 */
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'

type Shape = (x: number, y: number) => boolean
const SIZE = 81
const GREY: [number, number, number] = [0x8a, 0x8a, 0x8a]
const RED: [number, number, number] = [0xfa, 0x2c, 0x19]

const circle = (cx: number, cy: number, r: number): Shape => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r
const rect = (x0: number, y0: number, x1: number, y1: number): Shape => (x, y) => x >= x0 && x <= x1 && y >= y0 && y <= y1
const triangle = (apexY: number, baseY: number, halfWidth: number): Shape => (x, y) =>
  y >= apexY && y <= baseY && Math.abs(x - 0.5) <= ((y - apexY) / (baseY - apexY)) * halfWidth
const halfEllipse = (cy: number, rx: number, ry: number, maxY: number): Shape => (x, y) =>
  y <= maxY && ((x - 0.5) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1
const union = (...shapes: Shape[]): Shape => (x, y) => shapes.some((s) => s(x, y))
/** A trapezoid from `top` to `bottom`, its sides moving in by `slant` of the height as they go down. */
const trapezoid = (x0: number, x1: number, top: number, bottom: number, slant: number): Shape => (x, y) => {
  const inset = ((y - top) / (bottom - top)) * slant
  return y >= top && y <= bottom && x >= x0 + inset && x <= x1 - inset
}
/** A thick straight line from (x0, y0) to (x1, y1). */
const line = (x0: number, y0: number, x1: number, y1: number, w: number): Shape => (x, y) => {
  const [dx, dy] = [x1 - x0, y1 - y0]
  const t = Math.max(0, Math.min(1, ((x - x0) * dx + (y - y0) * dy) / (dx * dx + dy * dy)))
  return (x - x0 - t * dx) ** 2 + (y - y0 - t * dy) ** 2 <= (w / 2) ** 2
}
const cells = [rect(0.14, 0.14, 0.45, 0.45), rect(0.55, 0.14, 0.86, 0.45), rect(0.14, 0.55, 0.45, 0.86), rect(0.55, 0.55, 0.86, 0.86)]
const cellHoles = [rect(0.21, 0.21, 0.38, 0.38), rect(0.62, 0.21, 0.79, 0.38), rect(0.21, 0.62, 0.38, 0.79), rect(0.62, 0.62, 0.79, 0.79)]
const cartFrame = union(line(0.08, 0.2, 0.22, 0.2, 0.07), line(0.22, 0.2, 0.3, 0.66, 0.07), line(0.3, 0.66, 0.8, 0.66, 0.07))
const wheels = union(circle(0.36, 0.8, 0.07), circle(0.74, 0.8, 0.07))
const minus = (a: Shape, b: Shape): Shape => (x, y) => a(x, y) && !b(x, y)

const ICONS: Record<string, { outline: Shape; filled: Shape }> = {
  home: {
    outline: minus(
      union(triangle(0.1, 0.5, 0.44), rect(0.2, 0.45, 0.8, 0.88)),
      minus(union(triangle(0.22, 0.47, 0.31), rect(0.28, 0.45, 0.72, 0.8)), rect(0.42, 0.6, 0.58, 0.8)),
    ),
    filled: minus(union(triangle(0.1, 0.5, 0.44), rect(0.2, 0.45, 0.8, 0.88)), rect(0.42, 0.62, 0.58, 0.88)),
  },
  category: {
    outline: union(...cells.map((c, i) => minus(c, cellHoles[i]!))),
    filled: union(...cells),
  },
  cart: {
    outline: union(cartFrame, minus(trapezoid(0.24, 0.92, 0.3, 0.6, 0.1), trapezoid(0.31, 0.85, 0.37, 0.53, 0.06)), minus(wheels, union(circle(0.36, 0.8, 0.03), circle(0.74, 0.8, 0.03)))),
    filled: union(cartFrame, trapezoid(0.24, 0.92, 0.3, 0.6, 0.1), wheels),
  },
  mine: {
    outline: union(
      minus(circle(0.5, 0.3, 0.19), circle(0.5, 0.3, 0.11)),
      minus(halfEllipse(0.92, 0.37, 0.36, 0.9), halfEllipse(0.92, 0.29, 0.28, 0.82)),
    ),
    filled: union(circle(0.5, 0.3, 0.19), halfEllipse(0.92, 0.37, 0.36, 0.9)),
  },
}

/** Rasterises a shape with 4×4 supersampling for smooth edges (alpha = coverage). */
function render(shape: Shape, [r, g, b]: [number, number, number]): Buffer {
  const rows: Buffer[] = []
  for (let py = 0; py < SIZE; py++) {
    const row = Buffer.alloc(1 + SIZE * 4)
    for (let px = 0; px < SIZE; px++) {
      let hits = 0
      for (let sy = 0; sy < 4; sy++)
        for (let sx = 0; sx < 4; sx++) if (shape((px + (sx + 0.5) / 4) / SIZE, (py + (sy + 0.5) / 4) / SIZE)) hits++
      row.set([r, g, b, Math.round((hits / 16) * 255)], 1 + px * 4)
    }
    rows.push(row)
  }
  return png(Buffer.concat(rows))
}

function png(raw: Buffer): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4)
    len.writeUInt32BE(data.length)
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(zlib.crc32(body))
    return Buffer.concat([len, body, crc])
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(SIZE, 0)
  header.writeUInt32BE(SIZE, 4)
  header.set([8, 6, 0, 0, 0], 8) // 8-bit RGBA
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))])
}

for (const [name, icon] of Object.entries(ICONS)) {
  fs.writeFileSync(path.join(__dirname, `${name}.png`), render(icon.outline, GREY))
  fs.writeFileSync(path.join(__dirname, `${name}-active.png`), render(icon.filled, RED))
}
