import { Schema, model } from 'mongoose'
import { isDuplicateKeyError } from '../../db/errors'
import { AppError } from '../../core/app-error'
import { WechatError, type WechatClient } from '../../wechat'

/** Mini-program code images by `scene`, so WeChat is asked once per code (WECHAT.md: cache them). */
const PosterCodeSchema = new Schema(
  {
    _id: { type: String, required: true },
    image: { type: Buffer, required: true },
    contentType: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
)
export const PosterCodeModel = model('PosterCode', PosterCodeSchema, 'poster_codes')

/**
 * The mini-program code (getwxacodeunlimit) for a `scene` opening `page`, from the cache, or from
 * WeChat once and then cached. Invite posters (`i_<code>`) and leader posters (`l_<code>`) use it.
 */
export function createPosterCodes(deps: { wechat: WechatClient; clock: () => Date }) {
  return {
    async get(scene: string, page = 'pages/index/index'): Promise<{ bytes: Buffer; contentType: string }> {
      const cached = await PosterCodeModel.findById(scene).lean()
      if (cached) {
        const raw = cached.image as unknown as Buffer | { buffer: Uint8Array }
        return { bytes: Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer), contentType: cached.contentType }
      }
      let image
      try {
        image = await deps.wechat.getUnlimitedWxaCode({ scene, page })
      } catch (err) {
        if (err instanceof WechatError) throw new AppError('WECHAT_UNAVAILABLE', '小程序码生成失败，请稍后再试', { errcode: err.errcode })
        throw err
      }
      try {
        await PosterCodeModel.create({ _id: scene, image: image.bytes, contentType: image.contentType, createdAt: deps.clock() })
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err // a concurrent request cached it first
      }
      return image
    },
  }
}

export type PosterCodes = ReturnType<typeof createPosterCodes>
