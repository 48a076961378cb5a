import { z } from 'zod'
import { ObjectIdSchema } from './common'
import { PickupRequestSchema } from './groupbuy'

/** A leader's code: 8 symbols of Crockford base32, carried as `leader=` in links and `l_<code>` in QR scenes. */
export const LeaderCodeSchema = z.string().trim().toUpperCase().regex(/^[0-9A-HJKMNP-TV-Z]{8}$/, 'not a leader code')

const phone = z.string().regex(/^1[3-9]\d{9}$/, '请输入 11 位手机号')

export const LeaderApplicationRequestSchema = z.strictObject({
  name: z.string().trim().min(2).max(20),
  phone,
  community: z.string().trim().min(2).max(40),
  address: z.string().trim().min(4).max(80),
  location: z.strictObject({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) }),
  hours: z.string().trim().min(3).max(40),
  /** A photo of the pickup point, uploaded to the shop's image storage (https). */
  photoUrl: z.url({ protocol: /^https$/ }).max(300).optional(),
})
export type LeaderApplicationRequest = z.infer<typeof LeaderApplicationRequestSchema>

export const ApplicationStateSchema = z.enum(['pending', 'approved', 'rejected'])

export const LeaderApplicationViewSchema = LeaderApplicationRequestSchema.extend({
  /** Masked (`139****5678`): the number is kept sealed. */
  phone: z.string(),
  id: z.string(),
  userId: z.string(),
  state: ApplicationStateSchema,
  reason: z.string().nullable(),
  createdAt: z.string(),
  reviewedAt: z.string().nullable(),
})
export type LeaderApplicationView = z.infer<typeof LeaderApplicationViewSchema>

export const ApplicationListQuerySchema = z.strictObject({ state: ApplicationStateSchema.default('pending') })
export const RejectApplicationRequestSchema = z.strictObject({ reason: z.string().trim().min(2).max(100) })

/** A pickup point as members see it. */
export const PickupPointSchema = z.object({
  leaderId: z.string(),
  name: z.string(),
  community: z.string(),
  address: z.string(),
  location: z.object({ latitude: z.number(), longitude: z.number() }),
  hours: z.string(),
  phone: z.string(),
  photoUrl: z.string().nullable(),
  active: z.boolean(),
})
export type PickupPoint = z.infer<typeof PickupPointSchema>

/** A leader's link, before signing in: the pickup point the visitor will be bound to. */
export const LeaderCodeParamsSchema = z.strictObject({ code: LeaderCodeSchema })
export const LeaderLinkViewSchema = PickupPointSchema.pick({ name: true, community: true, address: true, hours: true, active: true })
export type LeaderLinkView = z.infer<typeof LeaderLinkViewSchema>

export const BindLeaderRequestSchema = z.strictObject({ code: LeaderCodeSchema, switch: z.boolean().default(false) })
export type BindLeaderRequest = z.input<typeof BindLeaderRequestSchema>

export const MyLeaderViewSchema = z.object({ point: PickupPointSchema.nullable(), boundAt: z.string().nullable() })
export type MyLeaderView = z.infer<typeof MyLeaderViewSchema>

export const CommissionEntrySchema = z.object({
  type: z.enum(['earn', 'release', 'cancel', 'reverse', 'withdraw']),
  amountFen: z.number().int(),
  orderId: z.string().nullable(),
  at: z.string(),
})

export const LeaderCentreSchema = z.object({
  code: z.string(),
  state: z.enum(['active', 'suspended']),
  point: PickupPointSchema,
  /** The link members open to bind to this leader. */
  path: z.string(),
  members: z.object({ total: z.number().int(), last7Days: z.number().int() }),
  invitations: z.object({ opened: z.number().int(), bound: z.number().int(), ordered: z.number().int() }),
  commission: z.object({ pendingFen: z.number().int(), availableFen: z.number().int(), entries: z.array(CommissionEntrySchema) }),
  toHandOver: z.array(z.object({ orderId: z.string(), title: z.string(), member: z.string(), payFen: z.number().int(), confirmedAt: z.string() })),
})
export type LeaderCentre = z.infer<typeof LeaderCentreSchema>

export const LeaderPickupRequestSchema = PickupRequestSchema.omit({ storeId: true })

export const WithdrawalRequestSchema = z.strictObject({ amountFen: z.number().int().min(100).max(100_000_000), idempotencyKey: z.string().min(8).max(64) })

export const LeaderIdParamsSchema = z.strictObject({ id: ObjectIdSchema })

/** 运营后台 → 团长: an application with, once approved, whether the leader is active or suspended. */
export const AdminLeaderApplicationSchema = LeaderApplicationViewSchema.extend({ leaderState: z.enum(['active', 'suspended']).nullable() })
export type AdminLeaderApplication = z.infer<typeof AdminLeaderApplicationSchema>

export const WITHDRAWAL_STATES = ['requested', 'approved', 'paid'] as const
export const WithdrawalListQuerySchema = z.strictObject({ state: z.enum(WITHDRAWAL_STATES).default('requested') })
export const MarkWithdrawalPaidRequestSchema = z.strictObject({ transferRef: z.string().trim().min(4, '请填写转账流水号').max(64) })

/** 运营后台 → 团长 → 提现审核: a leader's withdrawal request. */
export const AdminWithdrawalSchema = z.object({
  id: z.string(),
  leaderId: z.string(),
  leaderName: z.string(),
  community: z.string(),
  amountFen: z.number().int(),
  state: z.enum(WITHDRAWAL_STATES),
  createdAt: z.string(),
  approvedAt: z.string().nullable(),
  paidAt: z.string().nullable(),
  transferRef: z.string().nullable(),
})
export type AdminWithdrawal = z.infer<typeof AdminWithdrawalSchema>
