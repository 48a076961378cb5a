import { useCallback, useEffect, useState } from 'react'
import { Alert, App as AntApp, Button, Card, Descriptions, Drawer, Form, Input, InputNumber, Modal, Radio, Select, Space, Statistic, Table, Tag, Typography } from 'antd'
import {
  CAMPAIGN_TEMPLATES,
  LIFECYCLE_TIER_NAMES,
  RFM_SEGMENT_LABELS,
  businessDateTimeText,
  formatFen,
  type CampaignUplift,
  type CampaignView,
  type CreateCampaign,
} from '@xianlin/shared'
import { api, errorText, showFormErrors } from '../api'
import { useSession } from '../session'

const TIER_NAMES = LIFECYCLE_TIER_NAMES
const targetText = (t: CreateCampaign['target']) => (t.kind === 'tier' ? `分层：${TIER_NAMES[t.tier]}` : `RFM：${RFM_SEGMENT_LABELS[t.segment].name}`)
const rewardText = (r: CreateCampaign['reward']) =>
  r.kind === 'coupon'
    ? `${r.name}：满 ${formatFen(r.minSpendFen)} 减 ${formatFen(r.amountFen)}，${r.validDays} 天有效${r.budget ? `，最多发 ${r.budget} 张` : ''}`
    : r.kind === 'points'
      ? `${r.points} 积分，预算 ${r.budget} 积分`
      : '只发消息'
const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`)

type FormValues = { template: string; name: string; title: string; body: string; schedule: CreateCampaign['schedule']; budget?: number | null }

/**
 * 用户运营: lifecycle campaigns from the built-in templates, each reaching a tier or RFM segment
 * once per member with a holdout, and what they changed against that holdout.
 */
export function CampaignsPage() {
  const { session } = useSession()
  const { message } = AntApp.useApp()
  const [campaigns, setCampaigns] = useState<CampaignView[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [creating, setCreating] = useState(false)
  const [uplift, setUplift] = useState<{ campaign: CampaignView; figures: CampaignUplift | null } | null>(null)
  const [form] = Form.useForm<FormValues>()
  const picked = Form.useWatch('template', form)
  const template = CAMPAIGN_TEMPLATES.find((t) => t.key === picked) ?? CAMPAIGN_TEMPLATES[0]!

  const load = useCallback(() => api.get('campaigns', '/api/admin/campaigns').then((r) => setCampaigns(r.campaigns), (err) => setError(errorText(err, '加载失败'))), [])
  useEffect(() => void load(), [load])

  const pick = (key: string) => {
    const t = CAMPAIGN_TEMPLATES.find((x) => x.key === key)!
    form.setFieldsValue({ template: key, name: t.campaign.name, title: t.campaign.notice.title, body: t.campaign.notice.body, schedule: t.campaign.schedule, budget: null })
  }
  const openCreate = () => {
    pick(CAMPAIGN_TEMPLATES[0]!.key)
    setCreating(true)
  }
  const create = async (v: FormValues) => {
    try {
      const reward = template.campaign.reward.kind === 'coupon' && v.budget ? { ...template.campaign.reward, budget: v.budget } : template.campaign.reward
      await api.post('campaign', '/api/admin/campaigns', { ...template.campaign, reward, name: v.name, notice: { title: v.title, body: v.body }, schedule: v.schedule })
      message.success('活动已创建，将在非免打扰时段自动触达')
      setCreating(false)
      await load()
    } catch (err) {
      showFormErrors(form, err, message.error, { rename: { 'notice.title': 'title', 'notice.body': 'body' } })
    }
  }
  const setState = (c: CampaignView, state: 'active' | 'paused') =>
    api.post('campaign', `/api/admin/campaigns/${c.id}/state`, { state }).then(load, (err) => message.error(errorText(err, '操作失败')))
  const runNow = (c: CampaignView) =>
    api.post('campaignRun', `/api/admin/campaigns/${c.id}/run`, {}).then(
      (r) => {
        message.success(r.reached > 0 ? `已触达 ${r.reached} 位会员` : '目标中暂无可触达的新会员')
        return load()
      },
      (err) => message.error(errorText(err, '执行失败')),
    )
  const showUplift = async (c: CampaignView) => {
    setUplift({ campaign: c, figures: null })
    try {
      setUplift({ campaign: c, figures: await api.get('campaignUplift', `/api/admin/campaigns/${c.id}/uplift`) })
    } catch (err) {
      message.error(errorText(err, '加载失败'))
      setUplift(null)
    }
  }

  if (error) return <Alert type="error" showIcon message={error} />
  return (
    <Card
      title="用户运营"
      extra={
        <Button type="primary" onClick={openCreate}>
          新建活动
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">
        每个活动对目标分层或分群的会员只触达一次，并随机留出对照组（不发任何东西），用来判断优惠是否真的带来了回访。触达频次、免打扰时段和对照组比例在「规则设置 → 用户运营」中设置；会员可在小程序「我的 → 设置」中关闭活动消息。
      </Typography.Paragraph>
      <Table<CampaignView>
        rowKey="id"
        loading={!campaigns}
        dataSource={campaigns ?? []}
        pagination={false}
        columns={[
          { title: '活动', dataIndex: 'name' },
          { title: '目标', render: (_, c) => targetText(c.target) },
          { title: '奖励', render: (_, c) => rewardText(c.reward) },
          { title: '频率', render: (_, c) => (c.schedule === 'daily' ? '每天（新进入目标的会员）' : '一次') },
          { title: '已触达 / 对照组 / 跳过', render: (_, c) => `${c.counts.reached} / ${c.counts.holdout} / ${c.counts.skipped}` },
          { title: '状态', render: (_, c) => <Tag color={c.state === 'active' ? 'green' : c.state === 'paused' ? 'orange' : 'default'}>{c.state === 'active' ? '进行中' : c.state === 'paused' ? '已暂停' : '已结束'}</Tag> },
          { title: '创建时间', render: (_, c) => businessDateTimeText(new Date(c.createdAt), session.timeZone) },
          {
            title: '操作',
            render: (_, c) => (
              <Space>
                <Button size="small" onClick={() => void showUplift(c)}>
                  效果
                </Button>
                {c.state === 'active' && (
                  <Button size="small" onClick={() => void runNow(c)}>
                    立即执行
                  </Button>
                )}
                {c.state === 'active' && (
                  <Button size="small" onClick={() => void setState(c, 'paused')}>
                    暂停
                  </Button>
                )}
                {c.state === 'paused' && (
                  <Button size="small" onClick={() => void setState(c, 'active')}>
                    恢复
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />

      <Modal title="新建运营活动" open={creating} okText="创建" cancelText="取消" onOk={() => form.submit()} onCancel={() => setCreating(false)} destroyOnClose>
        <Form form={form} layout="vertical" onFinish={create} requiredMark={false}>
          <Form.Item name="template" label="模板">
            <Select options={CAMPAIGN_TEMPLATES.map((t) => ({ value: t.key, label: t.label }))} onChange={pick} />
          </Form.Item>
          <Descriptions size="small" column={1} style={{ marginBottom: 16 }}>
            <Descriptions.Item label="目标">{targetText(template.campaign.target)}</Descriptions.Item>
            <Descriptions.Item label="奖励">{rewardText(template.campaign.reward)}</Descriptions.Item>
          </Descriptions>
          <Form.Item name="name" label="活动名称" rules={[{ required: true, message: '请填写活动名称' }]}>
            <Input maxLength={30} />
          </Form.Item>
          <Form.Item name="title" label="消息标题" rules={[{ required: true, message: '请填写消息标题' }]}>
            <Input maxLength={20} />
          </Form.Item>
          <Form.Item name="body" label="消息内容" rules={[{ required: true, message: '请填写消息内容' }]}>
            <Input.TextArea maxLength={60} rows={2} />
          </Form.Item>
          {template.campaign.reward.kind === 'coupon' && (
            <Form.Item name="budget" label="发放上限（张）" extra="留空则不限；发完后其余会员不再触达">
              <InputNumber min={1} precision={0} style={{ width: '100%' }} placeholder="不限" />
            </Form.Item>
          )}
          <Form.Item name="schedule" label="触达方式">
            <Radio.Group options={[{ value: 'daily', label: '每天触达新进入目标的会员' }, { value: 'once', label: '只触达一次当前的目标会员' }]} />
          </Form.Item>
        </Form>
      </Modal>

      <Drawer title={`活动效果：${uplift?.campaign.name ?? ''}`} open={uplift !== null} onClose={() => setUplift(null)} width={520}>
        {uplift?.figures && <UpliftFigures figures={uplift.figures} timeZone={session.timeZone} />}
      </Drawer>
    </Card>
  )
}

const points = (d: number) => `${(d * 100).toFixed(1)} 个百分点`
const VERDICT_TEXT = {
  effective: '区间在 0 以上：活动确实带来了回访。',
  harmful: '区间在 0 以下：触达组的回访反而更少。',
  inconclusive: '区间包含 0：还不能说明是活动带来的回访。',
} as const

/**
 * 活动效果: the two arms over members whose window has passed, and a conclusion only once the
 * server says there is one (观察中 / 样本不足 until then, with when the window ends).
 */
function UpliftFigures({ figures: u, timeZone }: { figures: CampaignUplift; timeZone: string }) {
  const until = u.observingUntil ? businessDateTimeText(new Date(u.observingUntil), timeZone) : null
  const pending = u.pending.reached + u.pending.holdout
  return (
    <>
      <Typography.Paragraph type="secondary">
        统计触达（对照组为本应触达的时刻）之后 {u.windowDays} 天内有付款的会员比例，只计观察期已满的会员；每组至少 {u.minArmMembers} 人才下结论。
      </Typography.Paragraph>
      {u.status === 'observing' && <Alert type="info" showIcon style={{ marginBottom: 16 }} message={<span data-testid="uplift-status">观察中</span>} description={`还有 ${pending} 位会员在观察期内，${until} 观察期结束后出结果。`} />}
      {u.status === 'insufficient' && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          message={<span data-testid="uplift-status">样本不足</span>}
          description={u.reached.members + u.holdout.members === 0 ? '活动还没有触达任何会员。' : `观察期已结束，但触达组 ${u.reached.members} 人、对照组 ${u.holdout.members} 人，每组需至少 ${u.minArmMembers} 人，不下结论。`}
        />
      )}
      <Space size="large" style={{ marginBottom: 16 }}>
        <Statistic title={`触达组（${u.reached.members} 人）`} value={percent(u.reached.rate)} />
        <Statistic title={`对照组（${u.holdout.members} 人）`} value={percent(u.holdout.rate)} />
        <Statistic title="提升" value={u.difference === null ? '—' : points(u.difference)} />
      </Space>
      {u.status === 'concluded' && u.interval && u.verdict && (
        <Typography.Paragraph>
          <span data-testid="uplift-status">已出结果</span>：95% 置信区间 {points(u.interval[0])} 至 {points(u.interval[1])}（{u.method}）。{VERDICT_TEXT[u.verdict]}
          {pending > 0 && ` 另有 ${pending} 位会员仍在观察期内，${until} 前会陆续计入。`}
        </Typography.Paragraph>
      )}
    </>
  )
}
