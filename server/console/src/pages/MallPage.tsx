import { useEffect, useState } from 'react'
import type { Dayjs } from 'dayjs'
import { Alert, App as AntApp, Button, Card, DatePicker, Drawer, Form, Input, InputNumber, Modal, Radio, Select, Space, Table, Tag } from 'antd'
import { businessDateTimeText, type AdminCouponTemplate, type AdminMallItem, type StoreView } from '@xianlin/shared'
import { api, errorText, showFormErrors } from '../api'
import { ShelfToggle } from '../components/ShelfToggle'
import { useCursorList } from '../hooks/useCursorList'
import { LoadMore } from '../components/LoadMore'
import { useSession } from '../session'

interface ItemForm {
  name: string
  description?: string
  kind: 'goods' | 'coupon'
  couponTemplateId?: string
  category: string
  pointsPrice: number
  stock: number
  perUserLimit?: number | null
  minLevelRank?: number
  window?: [Dayjs, Dayjs] | null
  storeIds?: string[]
  emoji: string
}

interface EditForm {
  pointsPrice: number
  stockChange?: number
}

/** 积分商城: items (goods handed over in stores, or coupons), points price, stock, limits, level, window. */
export function MallPage() {
  const { session } = useSession()
  const { message } = AntApp.useApp()
  const list = useCursorList<AdminMallItem>(async (cursor) => {
    const r = await api.get('adminMallItems', '/api/admin/mall/items', { cursor, limit: 20 })
    return { items: r.items, nextCursor: r.nextCursor }
  }, 'all')
  const [creating, setCreating] = useState(false)
  const [editing, setEditing] = useState<AdminMallItem | null>(null)
  const [stores, setStores] = useState<StoreView[]>([])
  const [templates, setTemplates] = useState<AdminCouponTemplate[]>([])
  const [form] = Form.useForm<ItemForm>()
  const [editForm] = Form.useForm<EditForm>()
  const kind = Form.useWatch('kind', form)
  const when = (at: string) => businessDateTimeText(new Date(at), session.timeZone)

  useEffect(() => {
    if (!creating) return
    void api.get('stores', '/api/stores').then((r) => setStores(r.stores))
    void api.get('adminCouponTemplates', '/api/admin/coupon-templates', { limit: 100 }).then((r) => setTemplates(r.templates.filter((t) => t.active)), () => setTemplates([]))
  }, [creating])

  const failed = (err: unknown) => message.error(errorText(err, '操作失败'))

  const create = async (v: ItemForm) => {
    try {
      await api.post('mallItem', '/api/admin/mall/items', {
        name: v.name,
        description: v.description ?? '',
        kind: v.kind,
        ...(v.kind === 'coupon' ? { couponTemplateId: v.couponTemplateId } : {}),
        category: v.category,
        pointsPrice: v.pointsPrice,
        stock: v.stock,
        perUserLimit: v.perUserLimit ?? null,
        minLevelRank: v.minLevelRank ?? 0,
        availableFrom: v.window ? v.window[0].toISOString() : null,
        availableTo: v.window ? v.window[1].toISOString() : null,
        storeIds: v.kind === 'goods' ? (v.storeIds ?? []) : [],
        cover: { emoji: v.emoji || '🎁', tint: '#FFF4E6' },
      })
      message.success('商品已上架到积分商城')
      setCreating(false)
      form.resetFields()
      await list.reload()
    } catch (err) {
      showFormErrors(form, err, message.error, { rename: { availableFrom: 'window', availableTo: 'window' } })
    }
  }

  const change = (item: AdminMallItem, body: Record<string, unknown>, done: string) =>
    api.patch('mallItem', `/api/admin/mall/items/${item.id}`, body).then(() => {
      message.success(done)
      return list.reload()
    }, failed)

  const saveEdit = async (v: EditForm) => {
    if (!editing) return
    try {
      await api.patch('mallItem', `/api/admin/mall/items/${editing.id}`, { pointsPrice: v.pointsPrice, ...(v.stockChange ? { stockChange: v.stockChange } : {}) })
      message.success('已保存')
      setEditing(null)
      await list.reload()
    } catch (err) {
      showFormErrors(editForm, err, message.error)
    }
  }

  return (
    <Card title="积分商城" extra={<Button type="primary" onClick={() => setCreating(true)}>新建兑换品</Button>}>
      {list.error && <Alert type="error" showIcon message={list.error} style={{ marginBottom: 16 }} />}
      <Table<AdminMallItem>
        rowKey="id"
        dataSource={list.rows}
        loading={list.loading}
        pagination={false}
        locale={{ emptyText: '还没有兑换品' }}
        columns={[
          { title: '兑换品', render: (_, i) => <Space><span style={{ fontSize: 24 }}>{i.cover.emoji}</span><Space direction="vertical" size={0}><b>{i.name}</b><span style={{ color: '#999' }}>{i.category}</span></Space></Space> },
          { title: '类型', render: (_, i) => (i.kind === 'goods' ? <Tag color="green">实物</Tag> : <Tag color="blue">优惠券</Tag>) },
          { title: '积分', dataIndex: 'pointsPrice' },
          { title: '库存', dataIndex: 'stock' },
          { title: '限制', render: (_, i) => [i.perUserLimit ? `每人 ${i.perUserLimit} 次` : '不限次数', i.minLevel ? `${i.minLevel.name}及以上` : null].filter(Boolean).join(' · ') },
          { title: '兑换时间', render: (_, i) => (i.availableFrom || i.availableTo ? `${i.availableFrom ? when(i.availableFrom) : '即日'} 至 ${i.availableTo ? when(i.availableTo) : '长期'}` : '长期') },
          { title: '核销门店', render: (_, i) => (i.kind === 'goods' ? i.stores.map((s) => <Tag key={s.id}>{s.name}</Tag>) : '—') },
          { title: '状态', render: (_, i) => <ShelfToggle onShelf={i.active} offWarning="下架后会员不能再兑换；已兑换的券照常可用。" onChange={(next) => change(i, { active: next }, next ? '已上架' : '已下架')} /> },
          {
            title: '操作',
            render: (_, i) => (
              <Button
                size="small"
                onClick={() => {
                  setEditing(i)
                  editForm.setFieldsValue({ pointsPrice: i.pointsPrice, stockChange: 0 })
                }}
              >
                改价/补货
              </Button>
            ),
          },
        ]}
      />
      <LoadMore list={list} />

      <Drawer title="新建兑换品" width={520} open={creating} onClose={() => setCreating(false)} destroyOnClose extra={<Button type="primary" onClick={() => form.submit()}>创建</Button>}>
        <Form<ItemForm> form={form} layout="vertical" onFinish={create} initialValues={{ kind: 'goods', stock: 100, minLevelRank: 0, emoji: '🎁' }}>
          <Form.Item name="kind" label="类型">
            <Radio.Group>
              <Radio value="goods">实物（到店核销）</Radio>
              <Radio value="coupon">优惠券（兑换即到账）</Radio>
            </Radio.Group>
          </Form.Item>
          <Form.Item name="name" label="名称" rules={[{ required: true, message: '请填写名称' }]}>
            <Input maxLength={40} />
          </Form.Item>
          <Form.Item name="description" label="说明">
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
          {kind === 'coupon' ? (
            <Form.Item name="couponTemplateId" label="发放的优惠券" rules={[{ required: true, message: '请选择优惠券模板' }]}>
              <Select options={templates.map((t) => ({ value: t.id, label: t.name }))} placeholder="在「优惠券」页先建模板" />
            </Form.Item>
          ) : (
            <Form.Item name="storeIds" label="核销门店" rules={[{ required: true, message: '请选择至少一家门店' }]}>
              <Select mode="multiple" options={stores.map((s) => ({ value: s.id, label: s.name }))} />
            </Form.Item>
          )}
          <Space size="large" wrap>
            <Form.Item name="category" label="分类" rules={[{ required: true, message: '请填写分类' }]}>
              <Input maxLength={20} style={{ width: 140 }} />
            </Form.Item>
            <Form.Item name="pointsPrice" label="所需积分" rules={[{ required: true, message: '请填写积分' }]}>
              <InputNumber min={1} />
            </Form.Item>
            <Form.Item name="stock" label="库存" rules={[{ required: true, message: '请填写库存' }]}>
              <InputNumber min={0} />
            </Form.Item>
          </Space>
          <Space size="large" wrap>
            <Form.Item name="perUserLimit" label="每人限兑">
              <InputNumber min={1} max={100} placeholder="不限" />
            </Form.Item>
            <Form.Item name="minLevelRank" label="最低会员等级" extra="0 为所有会员">
              <InputNumber min={0} max={20} />
            </Form.Item>
            <Form.Item name="emoji" label="图标">
              <Input maxLength={8} style={{ width: 80 }} />
            </Form.Item>
          </Space>
          <Form.Item name="window" label="兑换时间" extra="留空为长期可兑">
            <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
          </Form.Item>
        </Form>
      </Drawer>

      <Modal title={`改价/补货：${editing?.name ?? ''}`} open={editing !== null} okText="保存" cancelText="取消" onOk={() => editForm.submit()} onCancel={() => setEditing(null)} destroyOnClose>
        <Form<EditForm> form={editForm} layout="vertical" onFinish={saveEdit}>
          <Form.Item name="pointsPrice" label="所需积分" rules={[{ required: true, message: '请填写积分' }]}>
            <InputNumber min={1} />
          </Form.Item>
          <Form.Item name="stockChange" label={`库存变化（现有 ${editing?.stock ?? 0}，正数补货，负数撤回）`}>
            <InputNumber />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  )
}
