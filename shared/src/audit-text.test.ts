import { auditSentence } from './audit-text'

const entry = (over: Partial<Parameters<typeof auditSentence>[0]>): Parameters<typeof auditSentence>[0] => ({
  action: 'points.adjust',
  actorKind: 'operator',
  actorName: '张三',
  actor: 'zhangsan',
  targetType: 'user',
  targetId: '65f000000000000000000001',
  targetName: '王芳',
  outcome: 'applied',
  details: {},
  ...over,
})

describe('audit sentences', () => {
  it('names who did what to whom, with the reason', () => {
    expect(auditSentence(entry({ details: { amount: 50, reason: '补偿' } }))).toBe('运营 张三 给 会员 王芳 调整积分 +50（原因：补偿）')
    expect(auditSentence(entry({ outcome: 'refused', details: { amount: -80, reason: '误发', error: '积分不足' } }))).toBe('运营 张三 给 会员 王芳 调整积分 -80（原因：误发），被拒绝：积分不足')
    expect(auditSentence(entry({ action: 'product.create', targetType: 'product', targetName: '红颜草莓' }))).toBe('运营 张三 新建商品 红颜草莓')
    expect(auditSentence(entry({ action: 'voucher.redeem', actorKind: 'member', actorName: '店员小李', targetType: 'voucher', targetId: 'V123', targetName: null, outcome: 'redeemed' }))).toBe('会员 店员小李 核销兑换券 V123')
    expect(auditSentence(entry({ action: 'points.negative_balance', actorKind: 'system', actorName: null, actor: null, details: { balance: -30 } }))).toBe('会员 王芳 的积分因撤回变为 -30')
  })

  it('falls back to the id when an object has no name, and to the raw action when it has no words', () => {
    expect(auditSentence(entry({ action: 'order.refund', targetType: 'order', targetId: 'abc', targetName: null, details: { lines: 'all', reason: '缺货' } }))).toBe('运营 张三 为 订单 abc 发起退款（整单）（原因：缺货）')
    expect(auditSentence(entry({ action: 'something.new', targetType: 'thing', targetId: 'x1', targetName: null }))).toBe('运营 张三 something.new thing x1')
  })
})
