import { Types, type InferSchemaType } from 'mongoose'
import type { AdminCouponTemplate, PageQuery } from '@xianlin/shared'
import { AppError } from '../../core/app-error'
import { CouponModel, CouponTemplateModel, copiedTerms } from './coupon.model'

type TemplateRecord = InferSchemaType<typeof CouponTemplateModel.schema> & { _id: Types.ObjectId; createdAt: Date }

/** 运营后台 → 优惠券: templates newest first, each with how many of its coupons were issued, used and left to expire. */
export async function adminTemplates(page: PageQuery, now: Date): Promise<{ templates: AdminCouponTemplate[]; nextCursor: string | null }> {
  const found = await CouponTemplateModel.find(page.cursor ? { _id: { $lt: new Types.ObjectId(page.cursor) } } : {})
    .sort({ _id: -1 })
    .limit(page.limit + 1)
    .lean<TemplateRecord[]>()
  const shown = found.slice(0, page.limit)
  const templates = await Promise.all(shown.map((t) => toAdminTemplate(t, now)))
  return { templates, nextCursor: found.length > page.limit ? shown[shown.length - 1]!._id.toHexString() : null }
}

export async function adminTemplate(id: string, now: Date): Promise<AdminCouponTemplate> {
  const t = await CouponTemplateModel.findById(id).lean<TemplateRecord>()
  if (!t) throw new AppError('NOT_FOUND', '优惠券模板不存在')
  return toAdminTemplate(t, now)
}

/** Stops new grants of a template; coupons already granted stay usable until they expire. */
export async function deactivateTemplate(id: string, now: Date): Promise<{ before: AdminCouponTemplate; after: AdminCouponTemplate }> {
  const before = await adminTemplate(id, now)
  await CouponTemplateModel.updateOne({ _id: new Types.ObjectId(id) }, { $set: { active: false } })
  return { before, after: await adminTemplate(id, now) }
}

async function toAdminTemplate(t: TemplateRecord, now: Date): Promise<AdminCouponTemplate> {
  const [issued, used, expired] = await Promise.all([
    CouponModel.countDocuments({ templateId: t._id }),
    CouponModel.countDocuments({ templateId: t._id, state: 'used' }),
    CouponModel.countDocuments({ templateId: t._id, state: 'usable', validTo: { $lte: now } }),
  ])
  return {
    id: t._id.toHexString(),
    ...copiedTerms(t),
    validity: t.validityKind === 'fixed' ? { kind: 'fixed', from: t.validFrom!.toISOString(), to: t.validTo!.toISOString() } : { kind: 'relative', days: t.validDays! },
    active: t.active,
    createdAt: t.createdAt.toISOString(),
    counts: { issued, used, expired },
  }
}
