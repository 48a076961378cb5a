import { useState } from 'react'
import { Link, useSearchParams } from 'react-router-dom'
import { Alert, App as AntApp, Button, Card, Drawer, Form, Input, InputNumber, Select, Space, Switch, Table, Tag } from 'antd'
import { formatFen, photoPath, yuanToFen, type AdminProduct } from '@xianlin/shared'
import { api, errorText, showFormErrors } from '../api'
import { PhotoField } from '../components/PhotoField'
import { ShelfToggle } from '../components/ShelfToggle'
import { useCursorList } from '../hooks/useCursorList'
import { LoadMore } from '../components/LoadMore'

interface ProductForm {
  sku?: string
  name: string
  subtitle?: string
  spec?: string
  origin?: string
  category: string
  priceYuan: number
  unit: string
  tags: string[]
  emoji?: string
  photo: string | null
  onShelf: boolean
  sessionQuota: number
  sessionLimit: number
}

const toForm = (p: AdminProduct): ProductForm => ({ sku: p.sku, name: p.name, subtitle: p.subtitle, spec: p.spec, origin: p.origin, category: p.category, priceYuan: p.priceFen / 100, unit: p.unit, tags: p.tags, emoji: p.cover.emoji, photo: p.cover.photo ?? null, onShelf: p.onShelf, sessionQuota: p.sessionQuota, sessionLimit: p.sessionLimit })

/** 商品: the catalogue with photos; filters in the URL; create and edit in a drawer. */
export function ProductsPage() {
  const { message } = AntApp.useApp()
  const [params, setParams] = useSearchParams()
  const q = params.get('q') ?? ''
  const shelf = params.get('shelf') ?? ''
  const list = useCursorList<AdminProduct>(async (cursor) => {
    const r = await api.get('adminProducts', '/api/admin/products', { q, shelf, cursor, limit: 20 })
    return { items: r.products, nextCursor: r.nextCursor }
  }, `${q}|${shelf}`)
  const [editing, setEditing] = useState<AdminProduct | 'new' | null>(null)
  const [form] = Form.useForm<ProductForm>()

  const setFilter = (key: string, value: string) => {
    const next = new URLSearchParams(params)
    if (value) next.set(key, value)
    else next.delete(key)
    setParams(next)
  }

  const open = (p: AdminProduct | 'new') => {
    setEditing(p)
    form.resetFields()
    form.setFieldsValue(p === 'new' ? { tags: [], photo: null, onShelf: true, emoji: '🛒', sessionQuota: 200, sessionLimit: 10 } : toForm(p))
  }

  const save = async (values: ProductForm) => {
    const priceFen = yuanToFen(String(values.priceYuan))
    if (priceFen === null || priceFen < 1) return form.setFields([{ name: 'priceYuan', errors: ['请填写正确的价格'] }])
    const body = { name: values.name, subtitle: values.subtitle ?? '', spec: values.spec ?? '', origin: values.origin ?? '', category: values.category, priceFen, unit: values.unit, tags: values.tags, emoji: values.emoji || '🛒', photo: values.photo, onShelf: values.onShelf, sessionQuota: values.sessionQuota, sessionLimit: values.sessionLimit }
    try {
      if (editing === 'new') await api.post('adminProduct', '/api/admin/products', { ...body, ...(values.sku ? { sku: values.sku } : {}) })
      else if (editing) await api.patch('adminProduct', `/api/admin/products/${editing.id}`, body)
      message.success('商品已保存')
      setEditing(null)
      await list.reload()
    } catch (err) {
      // A taken SKU, an unknown photo and a bad price all come back naming their field.
      showFormErrors(form, err, message.error, { rename: { priceFen: 'priceYuan' } })
    }
  }

  const setShelf = (p: AdminProduct, onShelf: boolean) =>
    api.patch('adminProduct', `/api/admin/products/${p.id}`, { onShelf }).then(
      () => {
        message.success(onShelf ? '已上架' : '已下架')
        return list.reload()
      },
      (err) => message.error(errorText(err, '操作失败')),
    )

  return (
    <Card title="商品" extra={<Button type="primary" onClick={() => open('new')}>新建商品</Button>}>
      <Space style={{ marginBottom: 16 }} wrap>
        <Input.Search placeholder="商品名开头或商品编码" defaultValue={q} allowClear enterButton="查询" style={{ width: 320 }} onSearch={(v) => setFilter('q', v.trim())} />
        <Select
          value={shelf}
          style={{ width: 140 }}
          onChange={(v) => setFilter('shelf', v)}
          options={[
            { value: '', label: '全部状态' },
            { value: 'on', label: '在售' },
            { value: 'off', label: '已下架' },
          ]}
        />
      </Space>
      {list.error && <Alert type="error" showIcon message={list.error} style={{ marginBottom: 16 }} />}
      <Table<AdminProduct>
        rowKey="id"
        dataSource={list.rows}
        loading={list.loading}
        pagination={false}
        locale={{ emptyText: '还没有商品' }}
        columns={[
          {
            title: '图片',
            width: 88,
            render: (_, p) =>
              p.cover.photo ? (
                <img src={photoPath(p.cover.photo, 'thumb')} alt={p.name} style={{ width: 56, height: 56, objectFit: 'cover', borderRadius: 6 }} />
              ) : (
                <div style={{ width: 56, height: 56, borderRadius: 6, background: p.cover.tint, display: 'flex', alignItems: 'center', justifyContent: 'center', fontSize: 28 }}>{p.cover.emoji}</div>
              ),
          },
          { title: '商品', render: (_, p) => <Space direction="vertical" size={0}><b>{p.name}</b><span style={{ color: '#999' }}>{p.subtitle}</span></Space> },
          { title: '编码', dataIndex: 'sku' },
          { title: '类目', dataIndex: 'category' },
          { title: '标签', dataIndex: 'tags', render: (tags: string[]) => tags.map((t) => <Tag key={t}>{t}</Tag>) },
          { title: '价格', render: (_, p) => `${formatFen(p.priceFen)}/${p.unit}` },
          { title: '状态', render: (_, p) => <ShelfToggle onShelf={p.onShelf} offWarning="下架后顾客看不到它，它的拼团活动也从列表隐藏。" onChange={(next) => setShelf(p, next)} /> },
          {
            title: '操作',
            render: (_, p) => (
              <Space size={0}>
                <Button type="link" onClick={() => open(p)}>
                  编辑
                </Button>
                <Link to={`/sessions?productId=${p.id}`}>团期</Link>
              </Space>
            ),
          },
        ]}
      />
      <LoadMore list={list} />
      <Drawer title={editing === 'new' ? '新建商品' : '编辑商品'} width={520} open={editing !== null} onClose={() => setEditing(null)} destroyOnClose extra={<Button type="primary" onClick={() => form.submit()}>保存</Button>}>
        <Form<ProductForm> form={form} layout="vertical" onFinish={save}>
          <Form.Item name="photo" label="商品图片">
            <PhotoField />
          </Form.Item>
          <Form.Item name="name" label="商品名" rules={[{ required: true, message: '请填写商品名' }]}>
            <Input maxLength={40} />
          </Form.Item>
          <Form.Item name="subtitle" label="卖点">
            <Input maxLength={60} placeholder="一句话说清楚好在哪里" />
          </Form.Item>
          <Space size="large">
            <Form.Item name="spec" label="规格">
              <Input maxLength={60} placeholder="如：5 斤装 · 单果约 250g" style={{ width: 280 }} />
            </Form.Item>
            <Form.Item name="origin" label="产地">
              <Input maxLength={30} placeholder="如：海南三亚" />
            </Form.Item>
          </Space>
          <Space size="large">
            <Form.Item name="category" label="类目" rules={[{ required: true, message: '请填写类目' }]}>
              <Input maxLength={20} placeholder="如：水果" />
            </Form.Item>
            <Form.Item name="unit" label="单位" rules={[{ required: true, message: '请填写单位' }]}>
              <Input maxLength={10} placeholder="如：500g" />
            </Form.Item>
          </Space>
          <Space size="large">
            <Form.Item name="priceYuan" label="原价（元）" rules={[{ required: true, message: '请填写价格' }]}>
              <InputNumber min={0.01} precision={2} step={1} style={{ width: 160 }} />
            </Form.Item>
            <Form.Item name="emoji" label="无图时的图标">
              <Input maxLength={8} style={{ width: 100 }} />
            </Form.Item>
          </Space>
          <Space size="large">
            <Form.Item name="sessionQuota" label="每期限量（件）" extra="每天的团期默认这么多，可在「团期」按天调整" rules={[{ required: true, message: '请填写每期限量' }]}>
              <InputNumber min={0} max={20000} precision={0} style={{ width: 160 }} />
            </Form.Item>
            <Form.Item name="sessionLimit" label="每人限购（件）" rules={[{ required: true, message: '请填写每人限购' }]}>
              <InputNumber min={1} max={99} precision={0} style={{ width: 120 }} />
            </Form.Item>
          </Space>
          <Form.Item name="tags" label="标签">
            <Select mode="tags" maxCount={5} placeholder="回车添加，最多 5 个" />
          </Form.Item>
          {editing === 'new' && (
            <Form.Item name="sku" label="商品编码" extra="留空会自动生成">
              <Input maxLength={32} />
            </Form.Item>
          )}
          <Form.Item name="onShelf" label="上架" valuePropName="checked">
            <Switch checkedChildren="在售" unCheckedChildren="下架" />
          </Form.Item>
        </Form>
      </Drawer>
    </Card>
  )
}
