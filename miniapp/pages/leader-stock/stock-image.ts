import Taro from '@tarojs/taro'
import type { StockList } from '@xianlin/shared'
import { sessionName } from '../../utils/format'

/** Image width in canvas units; drawn at 2× so it stays sharp in a chat. */
const W = 640
const SCALE = 2
const ROW = 40
const RED = '#fa2c19'

/** The text rows of a 备货单 image: a title, the products to expect, then each member's hand-over. */
function rowsOf(list: StockList, point: string): Array<{ text: string; kind: 'title' | 'head' | 'row' | 'sub' }> {
  return [
    { text: `${point} · ${sessionName(list.day)}备货单`, kind: 'title' },
    { text: `商品汇总（${list.products.length} 种）`, kind: 'head' },
    ...list.products.map((p) => ({ text: `${p.name}  ${p.units}${p.unit}${p.arrived === null ? '' : `（实到 ${p.arrived}）`}`, kind: 'row' as const })),
    { text: `按邻居交付（${list.members.length} 单）`, kind: 'head' },
    ...list.members.flatMap((m, i) => [
      { text: `${i + 1}. ${m.member}（…${m.order}）`, kind: 'row' as const },
      { text: m.items.map((x) => `${x.name}×${x.quantity}`).join('，'), kind: 'sub' as const },
    ]),
  ]
}

function draw(ctx: CanvasRenderingContext2D, rows: ReturnType<typeof rowsOf>, height: number) {
  ctx.scale(SCALE, SCALE)
  ctx.fillStyle = '#fff'
  ctx.fillRect(0, 0, W, height)
  ctx.fillStyle = RED
  ctx.fillRect(0, 0, W, 72)
  rows.forEach((r, i) => {
    const y = r.kind === 'title' ? 46 : 72 + ROW * i
    ctx.fillStyle = r.kind === 'title' ? '#fff' : r.kind === 'head' ? RED : r.kind === 'sub' ? '#666' : '#222'
    ctx.font = r.kind === 'title' ? 'bold 28px sans-serif' : r.kind === 'head' ? 'bold 24px sans-serif' : '22px sans-serif'
    // A long line is cut to the width: the image is a list to read, not a document.
    let text = r.text
    while (ctx.measureText(text).width > W - 64 && text.length > 4) text = `${text.slice(0, -2)}…`
    ctx.fillText(text, r.kind === 'sub' ? 56 : 32, y)
  })
}

/**
 * Draws the 备货单 as an image to share into a chat or save: in WeChat on the page's
 * `<Canvas type="2d" id={canvasId}>`, in H5 on a canvas of its own. Returns the image's path (data URL in H5).
 */
export async function stockListImage(list: StockList, point: string, canvasId: string): Promise<string> {
  const rows = rowsOf(list, point)
  const height = 72 + ROW * rows.length + 24
  if (process.env.TARO_ENV !== 'weapp') {
    const canvas = document.createElement('canvas')
    canvas.width = W * SCALE
    canvas.height = height * SCALE
    draw(canvas.getContext('2d') as CanvasRenderingContext2D, rows, height)
    return canvas.toDataURL('image/png')
  }
  const canvas = await new Promise<Taro.Canvas>((resolve, reject) =>
    Taro.createSelectorQuery()
      .select(`#${canvasId}`)
      .fields({ node: true, size: true })
      .exec((res) => (res?.[0]?.node ? resolve(res[0].node as Taro.Canvas) : reject(new Error('画布未就绪')))),
  )
  canvas.width = W * SCALE
  canvas.height = height * SCALE
  draw(canvas.getContext('2d') as unknown as CanvasRenderingContext2D, rows, height)
  const { tempFilePath } = await Taro.canvasToTempFilePath({ canvas: canvas as never, fileType: 'png' } as never)
  return tempFilePath
}

/** How tall the image of `list` is, in canvas units (the page's hidden canvas is sized by it). */
export const stockImageSize = (list: StockList) => ({ width: W, height: 72 + ROW * (3 + list.products.length + 2 * list.members.length) + 24 })
