import Taro from '@tarojs/taro'
import { api, apiUrl } from '../../api'
import { h5Link } from '../../utils/links'
import { qrModules } from '../../utils/qr'
import { saveImage } from '../../utils/save-image'
import { session } from '../../utils/session'

/** Poster size in canvas units; drawn at 2× so it stays sharp when saved. */
const W = 600
const H = 900
const SCALE = 2
const RED = '#fa2c19'

export interface PosterContent {
  nickname: string
  code: string
  slogan: string
}

/** What goes in the poster's centre: WeChat's mini-program code, or a QR code of the H5 link. */
type Scannable = { image: CanvasImageSource } | { modules: boolean[][] }

function draw(ctx: CanvasRenderingContext2D, content: PosterContent, scannable: Scannable, scanHint: string) {
  ctx.scale(SCALE, SCALE)
  const sky = ctx.createLinearGradient(0, 0, 0, H)
  sky.addColorStop(0, '#ff4d2d')
  sky.addColorStop(1, '#ff8a3d')
  ctx.fillStyle = sky
  ctx.fillRect(0, 0, W, H)

  ctx.textAlign = 'center'
  ctx.fillStyle = '#fff'
  ctx.font = 'bold 44px sans-serif'
  ctx.fillText('鲜邻优选', W / 2, 86)
  ctx.font = '24px sans-serif'
  ctx.fillText('社区好物 · 拼团更省 · 门店自提', W / 2, 128)

  // The card: who invites, what the friend gets, and the code to scan.
  roundRect(ctx, 40, 170, W - 80, H - 230, 24)
  ctx.fillStyle = '#fff'
  ctx.fill()

  ctx.beginPath()
  ctx.arc(W / 2, 170, 48, 0, Math.PI * 2)
  ctx.fillStyle = '#fff'
  ctx.fill()
  ctx.beginPath()
  ctx.arc(W / 2, 170, 42, 0, Math.PI * 2)
  ctx.fillStyle = '#ffe8e3'
  ctx.fill()
  ctx.fillStyle = RED
  ctx.font = 'bold 40px sans-serif'
  ctx.fillText(Array.from(content.nickname)[0] ?? '鲜', W / 2, 184)

  ctx.fillStyle = '#333'
  ctx.font = 'bold 30px sans-serif'
  ctx.fillText(`${content.nickname} 邀你一起逛`, W / 2, 262)
  ctx.fillStyle = RED
  ctx.font = '26px sans-serif'
  ctx.fillText(content.slogan, W / 2, 306)

  const size = 300
  const x = (W - size) / 2
  const y = 350
  if ('image' in scannable) {
    ctx.drawImage(scannable.image, x, y, size, size)
  } else {
    const n = scannable.modules.length
    const cell = size / n
    ctx.fillStyle = '#222'
    scannable.modules.forEach((row, r) =>
      row.forEach((dark, c) => {
        if (dark) ctx.fillRect(x + c * cell, y + r * cell, Math.ceil(cell), Math.ceil(cell))
      }),
    )
  }

  ctx.fillStyle = '#999'
  ctx.font = '24px sans-serif'
  ctx.fillText(scanHint, W / 2, 700)
  ctx.fillStyle = '#666'
  ctx.font = '22px sans-serif'
  ctx.fillText(`邀请码 ${content.code}`, W / 2, 740)
  ctx.fillStyle = '#fff'
  ctx.font = '22px sans-serif'
  ctx.fillText('新人首单立得 10 元无门槛券', W / 2, H - 24)
}

function roundRect(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number, r: number) {
  ctx.beginPath()
  ctx.moveTo(x + r, y)
  ctx.arcTo(x + w, y, x + w, y + h, r)
  ctx.arcTo(x + w, y + h, x, y + h, r)
  ctx.arcTo(x, y + h, x, y, r)
  ctx.arcTo(x, y, x + w, y, r)
  ctx.closePath()
}

/**
 * Draws the invite poster and returns an image the page can show and save. In WeChat the
 * centre is the invite's mini-program code (from the server, cached there) drawn on the page's
 * `<Canvas type="2d" id={canvasId}>`; in H5 it is a QR code of the invite link.
 */
export async function makePoster(content: PosterContent, canvasId: string): Promise<string> {
  if (process.env.TARO_ENV !== 'weapp') {
    const canvas = document.createElement('canvas')
    canvas.width = W * SCALE
    canvas.height = H * SCALE
    const link = h5Link(`/pages/index/index?inviter=${content.code}`)
    draw(canvas.getContext('2d') as CanvasRenderingContext2D, content, { modules: qrModules(link) }, '扫码打开鲜邻优选')
    return canvas.toDataURL('image/png')
  }

  const download = await Taro.downloadFile({ url: apiUrl(api.invites.posterPath), header: { authorization: `Bearer ${session.accessToken()}` } })
  if (download.statusCode !== 200) throw new Error('小程序码生成失败，请稍后再试')
  const canvas = await new Promise<Taro.Canvas>((resolve, reject) =>
    Taro.createSelectorQuery()
      .select(`#${canvasId}`)
      .fields({ node: true, size: true })
      .exec((res) => (res?.[0]?.node ? resolve(res[0].node as Taro.Canvas) : reject(new Error('画布未就绪')))),
  )
  canvas.width = W * SCALE
  canvas.height = H * SCALE
  const image = canvas.createImage()
  await new Promise<void>((resolve, reject) => {
    image.onload = () => resolve()
    image.onerror = () => reject(new Error('小程序码加载失败'))
    image.src = download.tempFilePath
  })
  draw(canvas.getContext('2d') as unknown as CanvasRenderingContext2D, content, { image: image as unknown as CanvasImageSource }, '长按识别小程序码')
  const { tempFilePath } = await Taro.canvasToTempFilePath({ canvas: canvas as never, fileType: 'png' } as never)
  return tempFilePath
}

/** Saves the poster (see utils/save-image.ts). */
export const savePoster = (image: string) => saveImage(image, '鲜邻优选-邀请海报.png')

export const POSTER_SIZE = { width: W, height: H }
