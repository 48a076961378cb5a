import { useCallback, useEffect, useState } from 'react'
import { useSearchParams } from 'react-router-dom'
import dayjs, { type Dayjs } from 'dayjs'
import { Alert, App as AntApp, Button, Card, DatePicker, Form, Input, InputNumber, Modal, Select, Space, Table, Typography } from 'antd'
import type { PickList, ShortageView } from '@xianlin/shared'
import { api, errorText } from '../api'
import { downloadCsv } from '../components/csv'
import { requestKey } from '../requestKey'
import { can, useSession } from '../session'

type Point = PickList['points'][number]
type Item = PickList['totals'][number]
type PointItem = Point['items'][number]

/**
 * 分拣单 / 配送单 of a session: the units of each product to pick, and per pickup point what to
 * deliver; CSV for the warehouse, and a print-friendly page. 缺货 marks units of a product short:
 * the latest-ordered units are refunded by the line, their members told.
 */
export function PickListPage() {
  const { session } = useSession()
  const { message } = AntApp.useApp()
  // The day sits in the URL (?day=), so a 分拣单 can be bookmarked or sent to the warehouse.
  const [params, setParams] = useSearchParams()
  const day: Dayjs = params.get('day') ? dayjs(params.get('day')) : dayjs()
  const setDay = (d: Dayjs) => setParams({ day: d.format('YYYY-MM-DD') })
  const [list, setList] = useState<PickList | null>(null)
  const [shortages, setShortages] = useState<ShortageView[]>([])
  const [error, setError] = useState<string | null>(null)
  const [short, setShort] = useState<{ productId?: string; units: number; note: string; key: string; point?: Point } | null>(null)
  const text = day.format('YYYY-MM-DD')

  const load = useCallback(async () => {
    try {
      setList((await api.get('pickList', '/api/admin/pick-list', { day: text })).pickList)
      if (can(session, 'refunds')) setShortages((await api.get('shortages', '/api/admin/shortages', { day: text })).shortages)
      setError(null)
    } catch (err) {
      setError(errorText(err, '分拣单加载失败'))
    }
  }, [text, session])
  useEffect(() => void load(), [load])

  const csv = () => {
    if (!list) return
    const rows: Array<Array<string | number>> = [['自提点', '类型', '地址', '商品', '单位', '数量']]
    for (const p of list.points) for (const i of p.items) rows.push([p.name, p.kind === 'leader' ? '团长点' : '门店', p.address, i.name, i.unit, i.units])
    downloadCsv(`分拣单-${text}.csv`, rows)
  }

  const markShort = async () => {
    if (!short?.productId) return
    try {
      const at = short.point ? (short.point.kind === 'leader' ? { leaderId: short.point.id } : { storeId: short.point.id }) : {}
      const { shortage } = await api.post('shortage', '/api/admin/shortages', { day: text, productId: short.productId, units: short.units, note: short.note, idempotencyKey: short.key, ...at })
      const units = shortage.refunded.reduce((n, r) => n + r.quantity, 0)
      message.success(`已为 ${shortage.refunded.length} 笔订单退款 ${units} 件`)
      setShort(null)
      await load()
    } catch (err) {
      message.error(errorText(err, '缺货登记失败'))
    }
  }

  return (
    <Card
      title={`分拣单 · ${text} 团期`}
      extra={
        <Space className="no-print">
          <DatePicker aria-label="团期" value={day} onChange={(d) => d && setDay(d)} allowClear={false} />
          <Button onClick={csv} disabled={!list?.points.length}>
            导出 CSV
          </Button>
          <Button onClick={() => window.print()}>打印</Button>
          {can(session, 'refunds') && (
            <Button danger onClick={() => setShort({ units: 1, note: '', key: requestKey() })} disabled={!list?.totals.length}>
              登记缺货
            </Button>
          )}
        </Space>
      }
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      <Typography.Title level={5}>拣货汇总</Typography.Title>
      <Table<Item> size="small" rowKey="productId" dataSource={list?.totals ?? []} pagination={false} locale={{ emptyText: '这个团期没有待配送的订单' }} columns={[{ title: '商品', dataIndex: 'name' }, { title: '数量', render: (_, i) => `${i.units} ${i.unit}` }]} />
      <Typography.Title level={5} style={{ marginTop: 24 }}>
        配送单（按自提点）
      </Typography.Title>
      {(list?.points ?? []).map((p: Point) => (
        <Card key={`${p.kind}:${p.id}`} size="small" style={{ marginBottom: 12, breakInside: 'avoid' }} title={`${p.kind === 'leader' ? '团长点' : '门店'} · ${p.name}`} extra={p.address}>
          <Table<PointItem>
            size="small"
            rowKey="productId"
            dataSource={p.items}
            pagination={false}
            columns={[
              { title: '商品', dataIndex: 'name' },
              { title: '数量', render: (_, i) => `${i.units} ${i.unit}` },
              { title: '实到', render: (_, i) => (i.arrived === null ? '未确认' : i.arrived < i.units ? <Typography.Text type="danger">{i.arrived}（少 {i.units - i.arrived}）</Typography.Text> : i.arrived) },
              {
                title: '',
                render: (_, i) =>
                  i.arrived !== null && i.arrived < i.units && can(session, 'refunds') ? (
                    <Button size="small" danger className="no-print" onClick={() => setShort({ productId: i.productId, units: i.units - i.arrived!, note: `${p.name} 到货少 ${i.units - i.arrived!} 件`, key: requestKey(), point: p })}>
                      按到货登记缺货
                    </Button>
                  ) : null,
              },
            ]}
          />
        </Card>
      ))}
      {shortages.length > 0 && (
        <>
          <Typography.Title level={5} style={{ marginTop: 24 }}>
            已登记缺货
          </Typography.Title>
          <Table<ShortageView>
            size="small"
            rowKey="id"
            dataSource={shortages}
            pagination={false}
            columns={[
              { title: '商品', dataIndex: 'productName' },
              { title: '缺货', dataIndex: 'units' },
              { title: '已退款', render: (_, s) => s.refunded.map((r) => `…${r.orderId.slice(-6)} × ${r.quantity}`).join('，') || '—' },
            ]}
          />
        </>
      )}
      <Modal title="登记缺货" open={Boolean(short)} onCancel={() => setShort(null)} onOk={markShort} okText="登记并退款" okButtonProps={{ danger: true, disabled: !short?.productId }}>
        {short && (
          <Form layout="vertical">
            <Form.Item label="商品" required>
              <Select aria-label="缺货商品" value={short.productId} onChange={(productId) => setShort({ ...short, productId })} options={(list?.totals ?? []).map((i) => ({ value: i.productId, label: `${i.name}（已订 ${i.units}）` }))} />
            </Form.Item>
            <Form.Item label="缺几件" required>
              <InputNumber aria-label="缺货件数" min={1} value={short.units} onChange={(v) => setShort({ ...short, units: Number(v ?? 1) })} />
            </Form.Item>
            <Form.Item label="备注">
              <Input value={short.note} maxLength={100} onChange={(e) => setShort({ ...short, note: e.target.value })} placeholder="例如：供应商少送 3 箱" />
            </Form.Item>
            <Typography.Text type="secondary">{short.point ? `只退「${short.point.name}」的订单，` : ''}从最晚下单的订单开始退款，每笔按行退回实付金额，会员会收到通知。</Typography.Text>
          </Form>
        )}
      </Modal>
    </Card>
  )
}
