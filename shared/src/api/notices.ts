import { z } from 'zod'

/** 消息通知: a member's notices, newest first, with the unread count. */
export const NoticeViewSchema = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  /** The mini-program page it opens, if any. */
  link: z.string().nullable(),
  read: z.boolean(),
  createdAt: z.string(),
})
export type NoticeView = z.infer<typeof NoticeViewSchema>

export const NoticeListSchema = z.object({
  notices: z.array(NoticeViewSchema),
  unread: z.number().int(),
  next: z.string().nullable(),
  /** The subscribe-message template for notices (null: none configured), and consents left. */
  templateId: z.string().nullable(),
  consents: z.number().int(),
})
export type NoticeList = z.infer<typeof NoticeListSchema>
export const NoticeListQuerySchema = z.strictObject({ before: z.iso.datetime().optional() })
