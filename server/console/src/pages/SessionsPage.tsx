import { useCallback, useEffect, useState } from 'react'
import { Link, useSearchParams } from 'react-router-dom'
import { Alert, App as AntApp, Button, Card, Drawer, Form, InputNumber, Modal, Progress, Space, Switch, Table, Tag, Typography } from 'antd'
import { formatFen, yuanToFen, type AdminSessionCalendar, type AdminSessionDay, type SessionGlance } from '@xianlin/shared'
import { api, errorText, showFormErrors } from '../api'

interface DayForm {
  priceYuan?: number | null
  quota: number
  perMemberLimit?: number | null
  cutoffHour?: number | null
  pickupHour?: number | null
  closed: boolean
}

const ordered = (s: { ordered: number; quota: number }) => (s.quota ? Math.round((s.ordered / s.quota) * 100) : 0)

/**
 * 团期: today's and tomorrow's sessions of the whole shelf at a glance (units ordered against
 * quota), and each product's session calendar: a day's price, quota, per-member limit and hours
 * (or the product's defaults and the rules'), set one day at a time or copied forward.
 */
export function SessionsPage() {
  const { message } = AntApp.useApp()
  const [params, setParams] = useSearchParams()
  const productId = params.get('productId')
  const [glance, setGlance] = useState<SessionGlance | null>(null)
  const [calendar, setCalendar] = useState<AdminSessionCalendar | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [editing, setEditing] = useState<AdminSessionDay | null>(null)
  const [copying, setCopying] = useState<AdminSessionDay | null>(null)
  const [copyDays, setCopyDays] = useState(7)
  const [form] = Form.useForm<DayForm>()

  const loadGlance = useCallback(() => api.get('sessionGlance', '/api/admin/sessions').then(setGlance, (err) => setError(errorText(err, '团期加载失败'))), [])
  const loadCalendar = useCallback(() => (productId ? api.get('sessionCalendar', `/api/admin/products/${productId}/sessions`, { days: 14 }).then(setCalendar, (err) => setError(errorText(err, '团期加载失败'))) : setCalendar(null)), [productId])
  useEffect(() => void loadGlance(), [loadGlance])
  useEffect(() => void loadCalendar(), [loadCalendar])

  const edit = (d: AdminSessionDay) => {
    setEditing(d)
    form.resetFields()
    form.setFieldsValue({ priceYuan: d.ownPrice ? d.priceFen / 100 : null, quota: d.quota, perMemberLimit: d.perMemberLimit, cutoffHour: d.ownHours ? d.cutoffHour : null, pickupHour: d.ownHours ? d.pickupHour : null, closed: d.closed })
  }

  const save = async (v: DayForm) => {
    if (!editing || !calendar) return
    const priceFen = v.priceYuan == null ? null : yuanToFen(String(v.priceYuan))
    if (v.priceYuan != null && (priceFen === null || priceFen < 1)) return form.setFields([{ name: 'priceYuan', errors: ['请填写正确的价格'] }])
    try {
      await api.put('sessionCalendar', `/api/admin/products/${calendar.product.id}/sessions/${editing.day}`, {
        priceFen,
        quota: v.quota,
        perMemberLimit: v.perMemberLimit === calendar.product.sessionLimit ? null : (v.perMemberLimit ?? null),
        cutoffHour: v.cutoffHour ?? null,
        pickupHour: v.pickupHour ?? null,
        closed: v.closed,
      })
      message.success(`${editing.day} 的团期已保存`)
      setEditing(null)
      await Promise.all([loadCalendar(), loadGlance()])
    } catch (err) {
      showFormErrors(form, err, message.error, { rename: { priceFen: 'priceYuan' } })
    }
  }

  const copy = async () => {
    if (!copying || !calendar) return
    try {
      await api.post('sessionCalendar', `/api/admin/products/${calendar.product.id}/sessions/${copying.day}/copy`, { days: copyDays })
      message.success(`已复制到后面 ${copyDays} 天`)
      setCopying(null)
      await Promise.all([loadCalendar(), loadGlance()])
    } catch (err) {
      message.error(errorText(err, '复制失败'))
    }
  }

  const open = (id: string | null) => {
    const next = new URLSearchParams(params)
    if (id) next.set('productId', id)
    else next.delete('productId')
    setParams(next)
  }

  return (
    <Card title="团期" extra={<Typography.Text type="secondary">每天一期：截单前下单，次日到自提点取货</Typography.Text>}>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} closable onClose={() => setError(null)} />}
      <Table
        rowKey="id"
        loading={!glance}
        dataSource={glance?.products ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        columns={[
          { title: '商品', dataIndex: 'name', render: (name: string, p) => <Button type="link" onClick={() => open(p.id)}>{name}</Button> },
          { title: '类目', dataIndex: 'category' },
          ...(glance?.days ?? []).map((day, i) => ({
            title: `${i === 0 ? '今日' : '明日'}（${day}）已订 / 限量`,
            render: (_: unknown, p: SessionGlance['products'][number]) => {
              const s = p.sessions[i]!
              if (s.closed) return <Tag>本期不售</Tag>
              return (
                <Space direction="vertical" size={0} style={{ width: 180 }}>
                  <span>
                    {s.ordered} / {s.quota}
                  </span>
                  <Progress percent={ordered(s)} size="small" status={s.left === 0 ? 'exception' : 'normal'} showInfo={false} />
                </Space>
              )
            },
          })),
        ]}
      />

      <Drawer title={calendar ? `团期日历 · ${calendar.product.name}` : '团期日历'} width={980} open={Boolean(productId)} onClose={() => open(null)}>
        {calendar && (
          <>
            <Typography.Paragraph type="secondary">
              默认：原价 {formatFen(calendar.product.priceFen)}，每期限量 {calendar.product.sessionQuota} 件，每人限购 {calendar.product.sessionLimit} 件；截单与自提时间按规则设置。按天设置的会标「单独设置」。
            </Typography.Paragraph>
            <Table<AdminSessionDay>
              rowKey="day"
              size="small"
              dataSource={calendar.days}
              pagination={false}
              columns={[
                { title: '团期', dataIndex: 'day', render: (day: string, d) => <Space>{day}{d.custom && <Tag color="blue">单独设置</Tag>}{d.closed && <Tag>不售</Tag>}</Space> },
                { title: '团购价', render: (_, d) => `${formatFen(d.priceFen)}${d.ownPrice ? '' : '（原价）'}` },
                { title: '已订 / 限量', render: (_, d) => `${d.ordered} / ${d.quota}` },
                { title: '每人限购', dataIndex: 'perMemberLimit' },
                { title: '截单', render: (_, d) => `${d.cutoffHour}:00` },
                { title: '自提', render: (_, d) => `${d.pickupDay} ${d.pickupHour}:00 起` },
                {
                  title: '操作',
                  render: (_, d) => (
                    <Space size={0}>
                      <Button type="link" onClick={() => edit(d)}>
                        设置
                      </Button>
                      <Button type="link" onClick={() => setCopying(d)}>
                        复制到后面几天
                      </Button>
                      <Link to={`/orders?productId=${calendar.product.id}&sessionDay=${d.day}`}>订单</Link>
                    </Space>
                  ),
                },
              ]}
            />
          </>
        )}
      </Drawer>

      <Modal title={editing ? `设置 ${editing.day} 的团期` : ''} open={editing !== null} onCancel={() => setEditing(null)} onOk={() => form.submit()} okText="保存" destroyOnClose>
        <Form form={form} layout="vertical" onFinish={save}>
          <Form.Item name="priceYuan" label="团购价（元）" extra="留空按商品原价">
            <InputNumber min={0.01} precision={2} style={{ width: 160 }} />
          </Form.Item>
          <Space size="large">
            <Form.Item name="quota" label="限量（件）" rules={[{ required: true, message: '请填写限量' }]} extra={editing ? `已订 ${editing.ordered} 件` : undefined}>
              <InputNumber min={0} max={20000} precision={0} style={{ width: 140 }} />
            </Form.Item>
            <Form.Item name="perMemberLimit" label="每人限购（件）">
              <InputNumber min={1} max={99} precision={0} style={{ width: 120 }} />
            </Form.Item>
          </Space>
          <Space size="large">
            <Form.Item name="cutoffHour" label="截单（点）" extra="留空按规则">
              <InputNumber min={1} max={24} precision={0} style={{ width: 120 }} />
            </Form.Item>
            <Form.Item name="pickupHour" label="次日自提起（点）" extra="留空按规则">
              <InputNumber min={0} max={23} precision={0} style={{ width: 120 }} />
            </Form.Item>
          </Space>
          <Form.Item name="closed" label="这一天" valuePropName="checked">
            <Switch checkedChildren="不售" unCheckedChildren="正常售卖" />
          </Form.Item>
        </Form>
      </Modal>

      <Modal title={copying ? `把 ${copying.day} 的设置复制到后面几天` : ''} open={copying !== null} onCancel={() => setCopying(null)} onOk={copy} okText="复制">
        <Space>
          复制到后面
          <InputNumber min={1} max={30} precision={0} value={copyDays} onChange={(v) => setCopyDays(v ?? 1)} />天
        </Space>
      </Modal>
    </Card>
  )
}
