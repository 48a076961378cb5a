import type { AuditEntryView } from './api/operators'
import { formatFen } from './money'

/** Each audited action as an operator names it (also the 操作 filter's choices). */
export const AUDIT_ACTION_TEXT: Record<string, string> = {
  'points.adjust': '调整积分',
  'points.negative_balance': '积分变为负数',
  'coupon.grant': '发放优惠券',
  'coupon.grant.batch': '批量发券',
  'coupon.grant.segment': '按分群发券',
  'coupon.template.deactivate': '停用优惠券模板',
  'product.create': '新建商品',
  'product.update': '修改商品',
  'store.update': '修改门店',
  'staff.invite': '邀请店员',
  'staff.join': '加入门店',
  'staff.remove': '移除店员',
  'voucher.redeem': '核销兑换券',
  'order.pickup': '提货核销',
  'order.leader_pickup': '团长提货核销',
  'order.refund': '发起退款',
  'order.not_received': '登记未收到',
  'order.shortage': '登记缺货',
  'after_sale.approve': '同意售后',
  'after_sale.reject': '拒绝售后',
  'review.publish': '展示评价',
  'review.hide': '隐藏评价',
  'referral.bind': '绑定邀请',
  'referral.reward': '发放邀请奖励',
  'referral.review': '审核邀请',
  'leader.approve': '通过团长申请',
  'leader.reject': '拒绝团长申请',
  'leader.suspend': '暂停团长',
  'leader.reinstate': '恢复团长',
  'leader.bind': '绑定团长',
  'leader.withdrawal.approve': '同意佣金提现',
  'leader.withdrawal.paid': '佣金提现已打款',
  'phone.bind': '绑定手机号',
  'phone.rebind': '更换手机号',
  'phone.unbind': '解绑手机号',
  'account.delete': '注销账号',
  'rules.update': '修改规则',
  'operator.create': '新建运营账号',
  'operator.update': '修改运营账号',
  'operator.lock': '锁定运营账号',
  'operator.ip_lock': '锁定登录 IP',
}

export const AUDIT_TARGET_TEXT: Record<string, string> = {
  user: '会员',
  operator: '运营账号',
  store: '门店',
  product: '商品',
  coupon_template: '优惠券',
  order: '订单',
  voucher: '兑换券',
  after_sale: '售后',
  review: '评价',
  leader: '团长',
  withdrawal: '提现',
  rules: '规则版本',
  ip: 'IP',
}

const OUTCOME_TEXT: Record<string, string> = { refused: '被拒绝', failed: '失败', denied: '被拒绝' }

type Entry = Pick<AuditEntryView, 'action' | 'actorKind' | 'actorName' | 'actor' | 'targetType' | 'targetId' | 'targetName' | 'outcome' | 'details'>

const signed = (n: number) => (n > 0 ? `+${n}` : String(n))
const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null)

/** Who acted: 运营 张三, 会员 王芳, or 系统. */
export function auditActorText(e: Pick<Entry, 'actorKind' | 'actorName' | 'actor'>): string {
  if (e.actorKind === 'system') return '系统'
  return `${e.actorKind === 'operator' ? '运营' : '会员'} ${e.actorName ?? e.actor ?? ''}`.trim()
}

/** What it acted on: 会员 王芳, 订单 65f…, 商品「红颜草莓」. */
export function auditTargetText(e: Pick<Entry, 'targetType' | 'targetId' | 'targetName'>): string {
  const kind = AUDIT_TARGET_TEXT[e.targetType] ?? e.targetType
  return e.targetName ? `${kind} ${e.targetName}` : `${kind} ${e.targetId}`
}

/**
 * One audit entry as a sentence an operator reads, e.g. `运营 张三 给 会员 王芳 调整积分 +50（原因：补偿）`.
 * Actions without a sentence of their own read `<who> <action> <object>`; the raw entry stays one
 * click away on the page.
 */
export function auditSentence(e: Entry): string {
  const who = auditActorText(e)
  const what = auditTargetText(e)
  const d = e.details
  const reason = text(d.reason)
  const because = reason ? `（原因：${reason}）` : ''
  const outcome = OUTCOME_TEXT[e.outcome] ? `，${OUTCOME_TEXT[e.outcome]}${text(d.error) ? `：${text(d.error)}` : ''}` : ''
  if (e.action.startsWith('console:')) return `${who} 在后台提交 ${e.action.slice('console:'.length)}${e.targetId !== '-' ? `（${e.targetId}）` : ''}`
  switch (e.action) {
    case 'points.adjust':
      return `${who} 给 ${what} 调整积分 ${signed(Number(d.amount))}${because}${outcome}`
    case 'points.negative_balance':
      return `${what} 的积分因撤回变为 ${Number(d.balance)}`
    case 'coupon.grant':
      return `${who} 给 ${what} 发放优惠券${outcome}`
    case 'coupon.grant.batch':
      return `${who} 批量发放 ${what}：${Number(d.granted ?? 0)} 张`
    case 'coupon.grant.segment':
      return `${who} 按分群发放 ${what}：${Number(d.granted ?? 0)} 张（${Number(d.members ?? 0)} 位会员）`
    case 'order.refund':
      return `${who} 为 ${what} 发起退款${d.lines === 'all' ? '（整单）' : '（部分商品）'}${because}`
    case 'after_sale.approve':
      return `${who} 同意 ${what}，退款 ${formatFen(Number(d.fen ?? 0))}`
    case 'leader.withdrawal.approve':
    case 'leader.withdrawal.paid':
      return `${who} ${AUDIT_ACTION_TEXT[e.action]} ${formatFen(Number(d.amountFen ?? 0))}（${what}）`
    case 'rules.update':
      return `${who} 修改规则，保存为第 ${e.targetId} 版${because}`
    default: {
      const verb = AUDIT_ACTION_TEXT[e.action] ?? e.action
      // 新建商品 红颜草莓, not 新建商品 商品 红颜草莓.
      const object = verb.endsWith(AUDIT_TARGET_TEXT[e.targetType] ?? '\u0000') ? (e.targetName ?? e.targetId) : what
      return `${who} ${verb} ${object}${because}${outcome}`
    }
  }
}
