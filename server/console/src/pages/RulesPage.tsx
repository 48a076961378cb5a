import { useCallback, useEffect, useState, type ReactNode } from 'react'
import { App as AntApp, Alert, Button, Card, Col, Collapse, Form, Input, InputNumber, Modal, Row, Space, Switch, Table, Typography } from 'antd'
import { businessDateTimeText, type Reply, type RulesView } from '@xianlin/shared'
import { api, errorText, ApiError } from '../api'
import { useSession } from '../session'

/** The groups as DESIGN.md has them, and the names operators know the numbers by. */
const GROUPS: Array<[key: string, title: string]> = [
  ['checkin', '每日签到'],
  ['points', '积分'],
  ['growth', '成长值'],
  ['levels', '会员等级'],
  ['groupbuy', '拼团'],
  ['share', '分享得积分'],
  ['referral', '邀请有礼'],
  ['assist', '好友助力'],
  ['mall', '积分商城'],
  ['orders', '订单'],
  ['shop', '社区团购'],
  ['leaders', '社区团长'],
  ['lifecycle', '用户分层'],
  ['rfm', 'RFM 分群'],
  ['marketing', '用户运营'],
]
const LABELS: Record<string, string> = {
  cycleDays: '签到周期（天）', dailyPoints: '每日签到积分', cycleBonusPoints: '周期满签奖励积分', makeupPerMonth: '每月可补签次数', makeupCostPoints: '补签消耗积分', reminderHour: '签到提醒时间（点）',
  caps: '预算与上限', perUserPerDay: '每人每天上限', perUserPerWeek: '每人每周上限', perUserLifetime: '每人累计上限', campaignBudget: '活动总预算',
  perYuanPaid: '每支付 1 元', review: '评价', expiryDays: '积分有效期（天）', pendingDays: '待入账期（天）', pointsPerYuan: '多少积分抵 1 元', maxDeductionPercent: '最多抵扣订单比例（%）',
  firstOrder: '首单', checkin: '每次签到', retention: '保级方式', mode: '模式', windowDays: '统计窗口（天）', warnDaysBefore: '提前提醒（天）', tiers: '等级', key: '代码', name: '名称', minGrowth: '所需成长值', priceRatePercent: '价格比例（%）', benefits: '权益',
  defaultTiers: '默认阶梯', size: '成团人数', groupDurationHours: '成团时限（小时）', seatHoldMinutes: '待支付占位（分钟）', initiatorCouponFen: '团长券（分）', autoFill: '差一人自动成团',
  pointsPerEffectiveShare: '每次有效分享积分', bindWithinHours: '绑定有效期（小时）', inviterPointsOnPhoneBound: '好友绑定手机 邀请人积分', inviterPointsOnFirstOrder: '好友首单 邀请人积分', inviteeCouponFen: '新人券（分）', milestones: '邀请里程碑', invitations: '邀请人数', points: '奖励积分',
  newDays: '新客期（注册后天数）', activeWindowDays: '活跃统计窗口（天）', activeMinDays: '窗口内至少活跃天数', silentAfterDays: '多少天未活跃算沉默', silentMidDays: '沉默中段起（天）', silentLateDays: '沉默后段起（天）', lostAfterDays: '多少天未活跃算流失',
  recentDays: '近期购买（天内）', frequentOrders: '高频：至少下单次数', valuableFen: '高消费：至少金额（分）',
  minDaysBetweenTouches: '两次营销触达至少间隔（天）', maxTouchesPer30Days: '30 天内最多触达次数', quietFromHour: '免打扰开始（点）', quietUntilHour: '免打扰结束（点）', holdoutPercent: '对照组比例（%）', upliftWindowDays: '活动效果观察期（天）', minArmMembers: '出结论前每组至少人数',
  helpersNeeded: '所需助力人数', helpsPerDay: '每人每天最多帮几次助力', windowHours: '助力时限（小时）', newUsersOnly: '仅限新用户助力', voucherValidDays: '兑换券有效期（天）', refundExpiredVouchers: '过期券退回积分', refundWindowDays: '售后期（天）',
  cutoffHour: '截单时间（点）', pickupHour: '自提开始（点）', pickupDaysAfter: '截单后几天自提', orderDaysAhead: '可提前下单的团期（天）', basketMaxLines: '购物车最多商品行', couponChoice: '默认用券（best_saving 最省 / none 不用）', pinyinSearch: '拼音搜索', commissionPercent: '佣金比例（%）', commissionFrozenDays: '佣金冻结期（天）',
}
const label = (key: string) => LABELS[key] ?? key

/** One field per leaf of the rules: numbers, switches, texts; objects and lists nest. */
function Fields({ value, path }: { value: unknown; path: Array<string | number> }): ReactNode {
  const key = String(path[path.length - 1])
  if (Array.isArray(value) || (value && typeof value === 'object')) {
    const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value as Record<string, unknown>)
    const row = (
      <Row gutter={16}>
        {entries.map(([k, v]) => (
          <Col key={k} span={v && typeof v === 'object' ? 24 : 8}>
            <Fields value={v} path={[...path, k]} />
          </Col>
        ))}
      </Row>
    )
    // A group's own panel is its title; nested objects and list items get a card each.
    if (path.length === 1) return row
    return (
      <Card size="small" title={typeof path[path.length - 1] === 'number' ? `第 ${Number(key) + 1} 项` : label(key)} style={{ marginBottom: 12 }}>
        {row}
      </Card>
    )
  }
  if (typeof value === 'boolean')
    return (
      <Form.Item name={path} label={label(key)} valuePropName="checked">
        <Switch />
      </Form.Item>
    )
  if (typeof value === 'string')
    return (
      <Form.Item name={path} label={label(key)}>
        <Input />
      </Form.Item>
    )
  // Numbers; a cap left empty means "no limit" (null).
  return (
    <Form.Item name={path} label={label(key)} extra={path.includes('caps') ? '留空为不限' : undefined} normalize={(v) => (v === undefined || v === '' ? null : v)}>
      <InputNumber style={{ width: '100%' }} precision={0} />
    </Form.Item>
  )
}

type History = Reply<'rulesHistory'>['versions']

/**
 * 规则设置: every number of the rules in forms grouped as DESIGN.md groups them. Saving makes a new
 * version (checked by the server with the same schema; refused fields are marked), applied on every
 * server within a minute; earlier versions are listed with who changed what and why.
 */
export function RulesPage() {
  const { session } = useSession()
  const { message } = AntApp.useApp()
  const [view, setView] = useState<RulesView | null>(null)
  const [history, setHistory] = useState<History>([])
  const [form] = Form.useForm()
  const [error, setError] = useState<string | null>(null)

  const load = useCallback(async () => {
    const [v, h] = await Promise.all([api.get('rules', '/api/admin/rules'), api.get('rulesHistory', '/api/admin/rules/history')])
    setView(v)
    setHistory(h.versions)
    form.resetFields()
    form.setFieldsValue(v.rules)
  }, [form])
  useEffect(() => {
    load().catch((err) => setError(errorText(err, '加载失败')))
  }, [load])

  const [saving, setSaving] = useState(false)
  const [reasonForm] = Form.useForm<{ reason: string }>()

  const save = async ({ reason }: { reason: string }) => {
    const rules = { ...view!.rules, ...form.getFieldsValue(true) }
    try {
      const saved = await api.put('rules', '/api/admin/rules', { baseVersion: view!.version, rules, reason })
      message.success(`已保存为第 ${saved.version} 版，各服务器一分钟内生效`)
      setSaving(false)
      reasonForm.resetFields()
      await load()
    } catch (err) {
      if (!(err instanceof ApiError)) return void message.error('保存失败')
      const toName = (path: string) => path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p))
      const ruleFields = err.details.filter((d) => d.path.startsWith('body.rules.')).map((d) => ({ name: toName(d.path.slice('body.rules.'.length)), errors: [d.message] }))
      const reasonError = err.details.find((d) => d.path === 'body.reason')
      if (reasonError) return reasonForm.setFields([{ name: 'reason', errors: [reasonError.message] }])
      setSaving(false)
      if (ruleFields.length) {
        form.setFields(ruleFields)
        message.error('有规则不符合要求，请看标红的字段')
      } else message.error(err.message)
    }
  }

  if (error) return <Alert type="error" showIcon message={error} />
  if (!view) return <Card loading />
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title="规则设置"
        extra={
          <Space>
            <Typography.Text type="secondary">
              当前第 {view.version} 版{view.savedAt ? `（${view.savedBy} 于 ${businessDateTimeText(new Date(view.savedAt), session.timeZone)} 保存）` : '（部署时的默认规则）'}
            </Typography.Text>
            <Button type="primary" onClick={() => setSaving(true)}>
              保存为新版本
            </Button>
          </Space>
        }
      >
        <Form form={form} layout="vertical" requiredMark={false}>
          <Collapse
            defaultActiveKey={['checkin']}
            items={GROUPS.map(([key, title]) => ({ key, label: title, forceRender: true, children: <Fields value={(view.rules as Record<string, unknown>)[key]} path={[key]} /> }))}
          />
        </Form>
      </Card>
      <Modal title="保存为新版本" open={saving} okText="保存" cancelText="取消" onOk={() => reasonForm.submit()} onCancel={() => setSaving(false)} destroyOnClose>
        <Form form={reasonForm} layout="vertical" onFinish={save} requiredMark={false}>
          <Form.Item label="修改原因（写入审计日志）" name="reason" rules={[{ required: true, message: '请写明修改原因' }]}>
            <Input.TextArea rows={2} maxLength={200} showCount />
          </Form.Item>
        </Form>
      </Modal>
      <Card title="修改记录">
        <Table
          rowKey="version"
          dataSource={history}
          pagination={false}
          locale={{ emptyText: '还没有修改过规则' }}
          columns={[
            { title: '版本', dataIndex: 'version', width: 80 },
            { title: '时间', dataIndex: 'savedAt', width: 160, render: (at: string) => businessDateTimeText(new Date(at), session.timeZone) },
            { title: '操作人', dataIndex: 'savedBy', width: 120 },
            { title: '原因', dataIndex: 'reason' },
            { title: '修改内容', dataIndex: 'changes', render: (changes: History[number]['changes']) => changes.map((c) => `${c.path}: ${JSON.stringify(c.before)} → ${JSON.stringify(c.after)}`).join('；') },
          ]}
        />
      </Card>
    </Space>
  )
}
