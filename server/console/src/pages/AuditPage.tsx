import { useEffect, useState } from 'react'
import { useSearchParams } from 'react-router-dom'
import { Button, Card, DatePicker, Form, Input, Select, Space, Table, Tag, Typography } from 'antd'
import { AUDIT_ACTION_TEXT, AUDIT_TARGET_TEXT, auditSentence, businessDateTimeText, type Reply } from '@xianlin/shared'
import { api, errorText } from '../api'
import { useSession } from '../session'

type Entry = Reply<'auditPage'>['entries'][number]
const FILTERS = ['actor', 'action', 'targetType', 'targetId', 'from', 'to'] as const
const ACTION_OPTIONS = Object.entries(AUDIT_ACTION_TEXT).map(([value, label]) => ({ value, label }))
const TARGET_OPTIONS = Object.entries(AUDIT_TARGET_TEXT).map(([value, label]) => ({ value, label }))

/**
 * The audit trail: who did what, when, to what, each entry a sentence with names (the raw record
 * opens under its row). Filters and the page position sit in the URL, so
 * a view can be shared; pages follow the server's cursor (never a whole collection).
 */
export function AuditPage() {
  const { session } = useSession()
  const [params, setParams] = useSearchParams()
  const [rows, setRows] = useState<Entry[]>([])
  const [next, setNext] = useState<string | null>(null)
  const [loading, setLoading] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [form] = Form.useForm()
  const key = params.toString()

  useEffect(() => {
    const query = Object.fromEntries(params.entries())
    setLoading(true)
    setError(null)
    api.get('auditPage', '/api/admin/audit', { ...query, limit: 20 }).then(
      (page) => {
        setRows(page.entries)
        setNext(page.next)
        setLoading(false)
      },
      (err) => {
        setError(errorText(err, '加载失败'))
        setLoading(false)
      },
    )
    form.setFieldsValue(Object.fromEntries(FILTERS.filter((f) => f !== 'from' && f !== 'to').map((f) => [f, params.get(f) ?? undefined])))
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key])

  const search = (values: Record<string, unknown>) => {
    const range = values.range as [{ toISOString(): string }, { toISOString(): string }] | undefined
    const next = new URLSearchParams()
    for (const f of ['actor', 'action', 'targetType', 'targetId'] as const) {
      const v = String(values[f] ?? '').trim()
      if (v) next.set(f, v)
    }
    if (range) {
      next.set('from', range[0].toISOString())
      next.set('to', range[1].toISOString())
    }
    setParams(next)
  }

  const pageTo = (cursor: string | null) => {
    const p = new URLSearchParams(params)
    if (cursor) p.set('cursor', cursor)
    else p.delete('cursor')
    setParams(p)
  }

  return (
    <Card title="审计日志">
      <Form form={form} layout="inline" onFinish={search} style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item name="actor" label="操作人">
          <Input placeholder="运营用户名或会员 ID" allowClear />
        </Form.Item>
        <Form.Item name="action" label="操作">
          <Select showSearch allowClear optionFilterProp="label" placeholder="全部操作" style={{ width: 180 }} options={ACTION_OPTIONS} />
        </Form.Item>
        <Form.Item name="targetType" label="对象类型">
          <Select allowClear placeholder="全部" style={{ width: 120 }} options={TARGET_OPTIONS} />
        </Form.Item>
        <Form.Item name="targetId" label="对象 ID">
          <Input allowClear />
        </Form.Item>
        <Form.Item name="range" label="时间">
          <DatePicker.RangePicker showTime />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit">
            查询
          </Button>
          <Button onClick={() => { form.resetFields(); setParams(new URLSearchParams()) }}>重置</Button>
        </Space>
      </Form>
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
      <Table<Entry>
        rowKey="id"
        size="middle"
        loading={loading}
        dataSource={rows}
        pagination={false}
        expandable={{
          expandRowByClick: true,
          expandedRowRender: (e) => (
            <Typography.Text code style={{ fontSize: 12, whiteSpace: 'pre-wrap' }}>
              {JSON.stringify({ action: e.action, actor: e.actor, target: `${e.targetType} ${e.targetId}`, outcome: e.outcome, details: e.details }, null, 2)}
            </Typography.Text>
          ),
        }}
        columns={[
          { title: '时间', dataIndex: 'at', width: 170, render: (at: string) => businessDateTimeText(new Date(at), session.timeZone) },
          { title: '记录', key: 'sentence', render: (_, e) => <span className="audit__sentence">{auditSentence(e)}</span> },
          { title: '操作', dataIndex: 'action', width: 150, render: (a: string) => <Tag>{AUDIT_ACTION_TEXT[a] ?? (a.startsWith('console:') ? '后台提交' : a)}</Tag> },
        ]}
      />
      <Space style={{ marginTop: 16 }}>
        <Button disabled={!params.get('cursor')} onClick={() => pageTo(null)}>
          回到第一页
        </Button>
        <Button disabled={!next} onClick={() => pageTo(next)}>
          下一页
        </Button>
      </Space>
    </Card>
  )
}
