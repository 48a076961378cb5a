import { useEffect, useState } from 'react'
import { Link, useSearchParams } from 'react-router-dom'
import dayjs, { type Dayjs } from 'dayjs'
import { Alert, App as AntApp, Button, Card, DatePicker, Drawer, Form, Input, InputNumber, Popconfirm, Select, Space, Switch, Table, Tabs, Tag } from 'antd'
import { businessDateTimeText, formatFen, GROUP_STATE_TEXT, yuanToFen, type AdminActivity, type AdminGroup, type AdminProduct } from '@xianlin/shared'
import { api, errorText, showFormErrors } from '../api'
import { useCursorList } from '../hooks/useCursorList'
import { LoadMore } from '../components/LoadMore'
import { useSession } from '../session'

const STATE_TEXT: Record<AdminActivity['state'], string> = { upcoming: '未开始', active: '进行中', paused: '已暂停', sold_out: '已售罄', ended: '已结束' }
const STATE_COLOR: Record<AdminActivity['state'], string> = { upcoming: 'blue', active: 'green', paused: 'orange', sold_out: 'purple', ended: 'default' }

interface CreateForm {
  productId: string
  title?: string
  tiers: Array<{ size: number; priceYuan: number }>
  window: [Dayjs, Dayjs]
  stock: number
  dailyCap?: number | null
  perUserLimit: number
  groupHours?: number
  autoFill: boolean
}

interface EditForm {
  title: string
  endsAt: Dayjs
  stockDelta?: number
  dailyCap?: number | null
  perUserLimit: number
  autoFill: boolean
}

/** 拼团活动: create, edit, pause, end early; each activity's groups with members and orders. */
export function GroupbuysPage() {
  const { session } = useSession()
  const { message } = AntApp.useApp()
  const [params, setParams] = useSearchParams()
  const state = params.get('state') ?? ''
  const list = useCursorList<AdminActivity>(async (cursor) => {
    const r = await api.get('adminActivities', '/api/admin/groupbuys', { state, cursor, limit: 20 })
    return { items: r.activities, nextCursor: r.nextCursor }
  }, state)
  const [creating, setCreating] = useState(false)
  const [editing, setEditing] = useState<AdminActivity | null>(null)
  const [products, setProducts] = useState<AdminProduct[]>([])
  const [createForm] = Form.useForm<CreateForm>()
  const [editForm] = Form.useForm<EditForm>()
  const when = (at: string) => businessDateTimeText(new Date(at), session.timeZone)

  const findProducts = (q = '') => api.get('adminProducts', '/api/admin/products', { q, shelf: 'on', limit: 20 }).then((r) => setProducts(r.products))
  useEffect(() => void (creating && findProducts()), [creating])

  const failed = (err: unknown) => message.error(errorText(err, '操作失败'))
  const change = (a: AdminActivity, body: Record<string, unknown>, done: string) =>
    api.patch('activity', `/api/admin/groupbuys/${a.id}`, body).then(() => {
      message.success(done)
      return list.reload()
    }, failed)

  const create = async (v: CreateForm) => {
    const tiers = v.tiers.map((t) => ({ size: t.size, priceFen: yuanToFen(String(t.priceYuan)) ?? 0 }))
    try {
      await api.post('activity', '/api/admin/groupbuys', {
        productId: v.productId,
        ...(v.title?.trim() ? { title: v.title.trim() } : {}),
        tiers,
        startsAt: v.window[0].toISOString(),
        endsAt: v.window[1].toISOString(),
        stock: v.stock,
        dailyCap: v.dailyCap ?? null,
        perUserLimit: v.perUserLimit,
        ...(v.groupHours ? { groupHours: v.groupHours } : {}),
        autoFill: v.autoFill,
      })
      message.success('活动已创建')
      setCreating(false)
      createForm.resetFields()
      await list.reload()
    } catch (err) {
      showFormErrors(createForm, err, message.error, { rename: { startsAt: 'window', endsAt: 'window' } })
    }
  }

  const saveEdit = async (v: EditForm) => {
    if (!editing) return
    try {
      await api.patch('activity', `/api/admin/groupbuys/${editing.id}`, {
        title: v.title,
        endsAt: v.endsAt.toISOString(),
        ...(v.stockDelta ? { stockDelta: v.stockDelta } : {}),
        dailyCap: v.dailyCap ?? null,
        perUserLimit: v.perUserLimit,
        autoFill: v.autoFill,
      })
      message.success('已保存')
      setEditing(null)
      await list.reload()
    } catch (err) {
      showFormErrors(editForm, err, message.error)
    }
  }

  const openEdit = (a: AdminActivity) => {
    setEditing(a)
    editForm.setFieldsValue({ title: a.title, endsAt: dayjs(a.endsAt), stockDelta: 0, dailyCap: a.dailyCap, perUserLimit: a.perUserLimit, autoFill: a.autoFill })
  }

  return (
    <Card title="拼团活动" extra={<Button type="primary" onClick={() => setCreating(true)}>新建拼团</Button>}>
      <Tabs
        activeKey={state}
        onChange={(k) => setParams(k ? { state: k } : {})}
        items={[
          { key: '', label: '全部' },
          { key: 'active', label: '进行中' },
          { key: 'upcoming', label: '未开始' },
          { key: 'paused', label: '已暂停' },
          { key: 'ended', label: '已结束' },
        ]}
      />
      {list.error && <Alert type="error" showIcon message={list.error} style={{ marginBottom: 16 }} />}
      <Table<AdminActivity>
        rowKey="id"
        dataSource={list.rows}
        loading={list.loading}
        pagination={false}
        locale={{ emptyText: '还没有拼团活动' }}
        expandable={{ expandedRowRender: (a) => <ActivityGroups activity={a} when={when} /> }}
        columns={[
          { title: '活动', render: (_, a) => <Space direction="vertical" size={0}><b>{a.title}</b><span style={{ color: '#999' }}>{a.product.name}</span></Space> },
          { title: '拼团价', render: (_, a) => a.tiers.map((t) => <Tag key={t.size}>{t.size}人 {formatFen(t.priceFen)}</Tag>) },
          { title: '库存', render: (_, a) => `${a.stockLeft} / ${a.stockTotal}` },
          { title: '限购', render: (_, a) => `每人 ${a.perUserLimit}${a.dailyCap ? ` · 每日 ${a.dailyCap}` : ''}` },
          { title: '时间', render: (_, a) => `${when(a.startsAt)} 至 ${when(a.endsAt)}` },
          { title: '状态', dataIndex: 'state', render: (s: AdminActivity['state']) => <Tag color={STATE_COLOR[s]}>{STATE_TEXT[s]}</Tag> },
          {
            title: '操作',
            render: (_, a) =>
              a.state === 'ended' ? (
                <Link to={`/orders?activityId=${a.id}`}>订单</Link>
              ) : (
                <Space size={4} wrap>
                  <Button size="small" onClick={() => openEdit(a)}>编辑</Button>
                  {a.state === 'paused' ? (
                    <Button size="small" onClick={() => change(a, { paused: false }, '已恢复')}>恢复</Button>
                  ) : (
                    <Popconfirm title="暂停这个活动？" description="暂停后顾客看不到它，也不能开团或参团；已开的团照常进行。" okText="暂停" cancelText="取消" onConfirm={() => change(a, { paused: true }, '已暂停')}>
                      <Button size="small">暂停</Button>
                    </Popconfirm>
                  )}
                  {a.state !== 'upcoming' && (
                    <Popconfirm title="提前结束这个活动？" description="结束后不能再开团或参团，此操作不能撤回。" okText="结束" okButtonProps={{ danger: true }} cancelText="取消" onConfirm={() => change(a, { endsAt: new Date().toISOString() }, '活动已结束')}>
                      <Button size="small" danger>提前结束</Button>
                    </Popconfirm>
                  )}
                  <Link to={`/orders?activityId=${a.id}`}>订单</Link>
                </Space>
              ),
          },
        ]}
      />
      <LoadMore list={list} />

      <Drawer title="新建拼团" width={560} open={creating} onClose={() => setCreating(false)} destroyOnClose extra={<Button type="primary" onClick={() => createForm.submit()}>创建</Button>}>
        <Form<CreateForm> form={createForm} layout="vertical" onFinish={create} initialValues={{ tiers: [{ size: 3 }], perUserLimit: 1, autoFill: false, stock: 100 }}>
          <Form.Item name="productId" label="商品" rules={[{ required: true, message: '请选择商品' }]}>
            <Select showSearch filterOption={false} onSearch={(q) => void findProducts(q)} placeholder="输入商品名搜索" options={products.map((p) => ({ value: p.id, label: `${p.name}（原价 ${formatFen(p.priceFen)}）` }))} />
          </Form.Item>
          <Form.Item name="title" label="活动标题" extra="留空时用「商品名 N人团」">
            <Input maxLength={40} />
          </Form.Item>
          <Form.List name="tiers">
            {(fields, { add, remove }) => (
              <Form.Item label="成团人数与拼团价">
                {fields.map((field) => (
                  <Space key={field.key} align="baseline">
                    <Form.Item name={[field.name, 'size']} rules={[{ required: true, message: '人数' }]}>
                      <InputNumber min={2} max={50} addonAfter="人团" style={{ width: 140 }} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'priceYuan']} rules={[{ required: true, message: '拼团价' }]}>
                      <InputNumber min={0.01} precision={2} addonAfter="元" style={{ width: 160 }} />
                    </Form.Item>
                    {fields.length > 1 && <Button type="link" onClick={() => remove(field.name)}>删除</Button>}
                  </Space>
                ))}
                {fields.length < 5 && <Button onClick={() => add({ size: 5 })}>添加档位</Button>}
              </Form.Item>
            )}
          </Form.List>
          <Form.Item name="window" label="活动时间" rules={[{ required: true, message: '请选择活动时间' }]}>
            <DatePicker.RangePicker
              showTime={{ format: 'HH:mm' }}
              format="YYYY-MM-DD HH:mm"
              presets={[3, 7, 30].map((days) => ({ label: `从现在起 ${days} 天`, value: [dayjs(), dayjs().add(days, 'day')] as [Dayjs, Dayjs] }))}
            />
          </Form.Item>
          <Space size="large" wrap>
            <Form.Item name="stock" label="库存" rules={[{ required: true, message: '请填写库存' }]}>
              <InputNumber min={1} max={1_000_000} />
            </Form.Item>
            <Form.Item name="dailyCap" label="每日限量">
              <InputNumber min={1} placeholder="不限" />
            </Form.Item>
            <Form.Item name="perUserLimit" label="每人限购">
              <InputNumber min={1} max={100} />
            </Form.Item>
            <Form.Item name="groupHours" label="成团时限（小时）">
              <InputNumber min={1} max={72} placeholder="按规则" />
            </Form.Item>
          </Space>
          <Form.Item name="autoFill" label="到时自动成团（系统补位）" valuePropName="checked">
            <Switch />
          </Form.Item>
        </Form>
      </Drawer>

      <Drawer title="编辑拼团" width={480} open={editing !== null} onClose={() => setEditing(null)} destroyOnClose extra={<Button type="primary" onClick={() => editForm.submit()}>保存</Button>}>
        <Form<EditForm> form={editForm} layout="vertical" onFinish={saveEdit}>
          <Form.Item name="title" label="活动标题" rules={[{ required: true, message: '请填写标题' }]}>
            <Input maxLength={40} />
          </Form.Item>
          <Form.Item name="endsAt" label="结束时间" rules={[{ required: true, message: '请选择结束时间' }]}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
          </Form.Item>
          <Form.Item name="stockDelta" label={`调整库存（剩余 ${editing?.stockLeft ?? 0}，正数追加，负数撤回）`}>
            <InputNumber />
          </Form.Item>
          <Space size="large">
            <Form.Item name="dailyCap" label="每日限量">
              <InputNumber min={1} placeholder="不限" />
            </Form.Item>
            <Form.Item name="perUserLimit" label="每人限购">
              <InputNumber min={1} max={100} />
            </Form.Item>
          </Space>
          <Form.Item name="autoFill" label="到时自动成团" valuePropName="checked">
            <Switch />
          </Form.Item>
        </Form>
      </Drawer>
    </Card>
  )
}

/** An activity's groups, newest first: members, their orders and whether they paid. */
function ActivityGroups({ activity, when }: { activity: AdminActivity; when: (at: string) => string }) {
  const list = useCursorList<AdminGroup>(async (cursor) => {
    const r = await api.get('adminGroups', `/api/admin/groupbuys/${activity.id}/groups`, { cursor, limit: 10 })
    return { items: r.groups, nextCursor: r.nextCursor }
  }, activity.id)
  return (
    <>
      <Table<AdminGroup>
        rowKey="id"
        size="small"
        dataSource={list.rows}
        loading={list.loading}
        pagination={false}
        locale={{ emptyText: '还没有人开团' }}
        columns={[
          { title: '团', render: (_, g) => `${g.size}人团 · ${formatFen(g.priceFen)}` },
          { title: '状态', render: (_, g) => <Tag>{GROUP_STATE_TEXT[g.state]}{g.autoFilled ? '（系统补位）' : ''}</Tag> },
          {
            title: '成员',
            render: (_, g) =>
              g.members.map((m) => (
                <Tag key={m.userId} color={m.paid ? 'green' : undefined}>
                  <Link to={`/orders?q=${m.orderId}`}>{m.nickname}{m.initiator ? '（团长）' : ''}</Link>
                  {m.paid ? '' : ' 未支付'}
                </Tag>
              )),
          },
          { title: '开团时间', render: (_, g) => when(g.createdAt) },
          { title: '截止', render: (_, g) => when(g.expiresAt) },
        ]}
      />
      {list.hasMore && <Button type="link" onClick={() => void list.more()}>更多团</Button>}
    </>
  )
}
