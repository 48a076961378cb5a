import { Schema, model } from 'mongoose'

/** The app's WeChat access token, shared by every API instance (WECHAT.md: keep one cache). */
const AccessTokenSchema = new Schema(
  {
    _id: { type: String, required: true },
    token: { type: String, required: true },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
)

export const AccessTokenModel = model('WechatAccessToken', AccessTokenSchema, 'wechat_access_tokens')
