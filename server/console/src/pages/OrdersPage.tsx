import { useEffect, useState } from 'react'
import { useSearchParams } from 'react-router-dom'
import dayjs, { type Dayjs } from 'dayjs'
import { Alert, Button, Card, DatePicker, Form, Input, Select, Space, Tag } from 'antd'
import { ORDER_STATE_TEXT, ORDER_STATES, type AdminOrder, type StoreView } from '@xianlin/shared'
import { api } from '../api'
import { OrdersTable } from '../components/OrdersTable'
import { useCursorList } from '../hooks/useCursorList'
import { LoadMore } from '../components/LoadMore'

const FILTERS = ['q', 'state', 'from', 'to', 'storeId', 'leaderId', 'activityId', 'sessionDay', 'productId'] as const
const DAY = 'YYYY-MM-DD'

interface SearchForm {
  q?: string
  state?: string
  range?: [Dayjs, Dayjs] | null
  storeId?: string
  sessionDay?: Dayjs | null
}

/**
 * 订单: find orders by order id, member id or nickname, state, order date, store, session (团期),
 * or, linked from elsewhere, a leader's point, an activity or a product. Each order lists its
 * lines (expand a row). Every filter sits in the URL.
 */
export function OrdersPage() {
  const [params, setParams] = useSearchParams()
  const [stores, setStores] = useState<StoreView[]>([])
  const [form] = Form.useForm<SearchForm>()
  const query = Object.fromEntries(FILTERS.map((f) => [f, params.get(f) ?? undefined]))
  const list = useCursorList<AdminOrder>(async (cursor) => {
    const r = await api.get('adminOrders', '/api/admin/orders', { ...query, cursor, limit: 20 })
    return { items: r.orders, nextCursor: r.nextCursor }
  }, params.toString())

  useEffect(() => void api.get('stores', '/api/stores').then((r) => setStores(r.stores)), [])
  useEffect(() => {
    form.setFieldsValue({ q: query.q, state: query.state, storeId: query.storeId, sessionDay: query.sessionDay ? dayjs(query.sessionDay) : undefined, range: query.from && query.to ? [dayjs(query.from), dayjs(query.to)] : undefined })
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [params.toString()])

  const search = (values: SearchForm) => {
    const next = new URLSearchParams()
    for (const keep of ['leaderId', 'activityId', 'productId'] as const) if (params.get(keep)) next.set(keep, params.get(keep)!)
    if (values.sessionDay) next.set('sessionDay', values.sessionDay.format(DAY))
    if (values.q?.trim()) next.set('q', values.q.trim())
    if (values.state) next.set('state', values.state)
    if (values.storeId) next.set('storeId', values.storeId)
    if (values.range) {
      next.set('from', values.range[0].format(DAY))
      next.set('to', values.range[1].format(DAY))
    }
    setParams(next)
  }

  const drop = (key: string) => {
    const next = new URLSearchParams(params)
    next.delete(key)
    setParams(next)
  }

  return (
    <Card title="订单">
      <Form form={form} layout="inline" onFinish={search} style={{ marginBottom: 16, rowGap: 12 }}>
        <Form.Item name="q">
          <Input placeholder="订单号、会员 ID 或昵称开头" allowClear style={{ width: 260 }} />
        </Form.Item>
        <Form.Item name="state">
          <Select placeholder="全部状态" allowClear style={{ width: 130 }} options={ORDER_STATES.filter((s) => s !== 'creating').map((s) => ({ value: s, label: ORDER_STATE_TEXT[s] }))} />
        </Form.Item>
        <Form.Item name="range">
          <DatePicker.RangePicker placeholder={['下单日期起', '止']} />
        </Form.Item>
        <Form.Item name="sessionDay">
          <DatePicker placeholder="团期" />
        </Form.Item>
        <Form.Item name="storeId">
          <Select placeholder="全部门店" allowClear style={{ width: 180 }} options={stores.map((s) => ({ value: s.id, label: s.name }))} />
        </Form.Item>
        <Form.Item>
          <Space>
            <Button type="primary" htmlType="submit">
              查询
            </Button>
            <Button onClick={() => setParams(new URLSearchParams())}>清空</Button>
          </Space>
        </Form.Item>
      </Form>
      {(query.leaderId || query.activityId || query.productId) && (
        <Space style={{ marginBottom: 12 }}>
          {query.leaderId && (
            <Tag closable onClose={() => drop('leaderId')}>
              团长自提点 {query.leaderId}
            </Tag>
          )}
          {query.activityId && (
            <Tag closable onClose={() => drop('activityId')}>
              拼团活动 {query.activityId}
            </Tag>
          )}
          {query.productId && (
            <Tag closable onClose={() => drop('productId')}>
              商品 {query.productId}
            </Tag>
          )}
        </Space>
      )}
      {list.error && <Alert type="error" showIcon message={list.error} style={{ marginBottom: 16 }} />}
      <OrdersTable orders={list.rows} loading={list.loading} onChanged={list.reload} />
      <LoadMore list={list} />
    </Card>
  )
}
