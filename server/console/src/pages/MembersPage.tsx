import { useEffect, useState } from 'react'
import { Link, useSearchParams } from 'react-router-dom'
import { Alert, Button, Card, Input, InputNumber, Select, Space, Table, Tag, Typography } from 'antd'
import { LIFECYCLE_TIERS, LIFECYCLE_TIER_NAMES as TIER_NAMES, RFM_SEGMENTS, RFM_SEGMENT_LABELS, businessDateTimeText, formatFen, type LifecycleTier, type MemberRow, type RfmSegment } from '@xianlin/shared'
import { api } from '../api'
import { useCursorList } from '../hooks/useCursorList'
import { SegmentGrantDialog } from '../components/SegmentGrantDialog'
import { LoadMore } from '../components/LoadMore'
import { can, useSession } from '../session'

const ROLE_TAGS: Record<string, string> = { leader: '团长', staff: '店员' }

/** The 会员 list's group filters besides RFM cell and tier: each one URL parameter. */
const NUMBER_FILTERS = ['minPoints', 'minPaidFen', 'inactiveDays'] as const
const INACTIVE_CHOICES = [7, 14, 30, 60, 90]

/**
 * 会员: every member newest first; a search by member id or the start of a nickname; or one group:
 * an RFM cell or a lifecycle tier exactly as the reports count them (reports link here with
 * `?segment=` or `?tier=` and `&day=`), a level, points held, spend in the RFM window, days without
 * activity, or a 留存 cohort (`?registeredFrom=&registeredTo=`). Each row has the level and points
 * the member's page shows and the growth figures the reports count. Every filter sits in the URL.
 */
export function MembersPage() {
  const { session } = useSession()
  const [params, setParams] = useSearchParams()
  const q = params.get('q') ?? ''
  const segment = (params.get('segment') as RfmSegment | null) ?? undefined
  const tier = (params.get('tier') as LifecycleTier | null) ?? undefined
  const level = params.get('level') ?? undefined
  const numbers = Object.fromEntries(NUMBER_FILTERS.map((k) => [k, params.get(k) ? Number(params.get(k)) : undefined])) as Record<(typeof NUMBER_FILTERS)[number], number | undefined>
  const registered = params.get('registeredFrom') && params.get('registeredTo') ? ([params.get('registeredFrom')!, params.get('registeredTo')!] as const) : null
  const day = params.get('day') ?? undefined
  const [levels, setLevels] = useState<Array<{ key: string; name: string }>>([])
  useEffect(() => {
    api.get('publicRules', '/api/rules').then((r) => setLevels(r.rules.levels), () => setLevels([]))
  }, [])
  const [shown, setShown] = useState<{ total: number | null; asOf: string; rfmWindowDays: number } | null>(null)
  const list = useCursorList<MemberRow>(async (cursor) => {
    const r = await api.get('members', '/api/admin/members', { q: q || undefined, segment, tier, level, ...numbers, registeredFrom: registered?.[0], registeredTo: registered?.[1], day, cursor, limit: 20 })
    setShown({ total: r.total, asOf: r.asOf, rfmWindowDays: r.rfmWindowDays })
    return { items: r.members, nextCursor: r.nextCursor }
  }, params.toString())
  const error = list.error
  const [granting, setGranting] = useState(false)
  const groupName = segment ? RFM_SEGMENT_LABELS[segment].name : tier ? TIER_NAMES[tier] : ''
  const groupText = segment
    ? `RFM 分群「${groupName}」`
    : tier
      ? `分层「${groupName}」`
      : level
        ? `等级「${levels.find((l) => l.key === level)?.name ?? level}」`
        : numbers.minPoints !== undefined
          ? `可用积分不少于 ${numbers.minPoints}`
          : numbers.minPaidFen !== undefined
            ? `近 ${shown?.rfmWindowDays ?? ''} 天消费不少于 ${formatFen(numbers.minPaidFen)}`
            : numbers.inactiveDays !== undefined
              ? `${numbers.inactiveDays} 天以上未活跃`
              : registered
                ? `${registered[0]} 至 ${registered[1]} 注册`
                : null

  /** One group at a time: choosing one clears the others (the API takes one). */
  const filter = (key: string, value: string | number | undefined | null) => {
    const next = new URLSearchParams()
    if (value !== undefined && value !== null && value !== '') next.set(key, String(value))
    if (next.size && day && (key === 'segment' || key === 'tier' || key === 'minPaidFen' || key === 'inactiveDays')) next.set('day', day)
    setParams(next)
  }

  return (
    <Card title="会员">
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search
          placeholder="会员 ID 或昵称开头"
          defaultValue={q}
          enterButton="查询"
          allowClear
          style={{ width: 320 }}
          onSearch={(value) => setParams(value.trim() ? { q: value.trim() } : {})}
        />
        <Select<RfmSegment>
          allowClear
          placeholder="RFM 分群"
          aria-label="RFM 分群"
          style={{ width: 180 }}
          value={segment}
          onChange={(v) => filter('segment', v)}
          options={RFM_SEGMENTS.map((s) => ({ value: s, label: RFM_SEGMENT_LABELS[s].name }))}
        />
        <Select<LifecycleTier>
          allowClear
          placeholder="生命周期分层"
          aria-label="生命周期分层"
          style={{ width: 160 }}
          value={tier}
          onChange={(v) => filter('tier', v)}
          options={LIFECYCLE_TIERS.map((t) => ({ value: t, label: TIER_NAMES[t] }))}
        />
        <Select<string> allowClear placeholder="会员等级" aria-label="会员等级" style={{ width: 140 }} value={level} onChange={(v) => filter('level', v)} options={levels.map((l) => ({ value: l.key, label: l.name }))} />
        <InputNumber<number> placeholder="积分不少于" aria-label="积分不少于" min={1} precision={0} style={{ width: 130 }} defaultValue={numbers.minPoints} key={`p${numbers.minPoints}`} onPressEnter={(e) => filter('minPoints', (e.target as HTMLInputElement).value)} />
        <InputNumber<number>
          placeholder={`近 ${shown?.rfmWindowDays ?? ''} 天消费（元）≥`}
          aria-label="消费不少于（元）"
          min={0.01}
          precision={2}
          style={{ width: 190 }}
          defaultValue={numbers.minPaidFen !== undefined ? numbers.minPaidFen / 100 : undefined}
          key={`f${numbers.minPaidFen}`}
          onPressEnter={(e) => {
            const yuan = Number((e.target as HTMLInputElement).value)
            filter('minPaidFen', yuan > 0 ? Math.round(yuan * 100) : undefined)
          }}
        />
        <Select<number> allowClear placeholder="未活跃天数" aria-label="未活跃天数" style={{ width: 140 }} value={numbers.inactiveDays} onChange={(v) => filter('inactiveDays', v)} options={INACTIVE_CHOICES.map((d) => ({ value: d, label: `${d} 天以上未活跃` }))} />
      </Space>
      {groupText && shown && (
        <Typography.Paragraph className="members__summary">
          {groupText}
          {segment || tier || numbers.minPaidFen !== undefined || numbers.inactiveDays !== undefined ? `，截至 ${shown.asOf}` : ''}：共 {shown.total ?? 0} 位会员
          {(segment || tier) && can(session, 'coupons') && Boolean(shown.total) && (
            <Button size="small" style={{ marginLeft: 12 }} onClick={() => setGranting(true)}>
              给这些会员发券
            </Button>
          )}
          <Button size="small" type="link" onClick={() => setParams(new URLSearchParams())}>
            清除筛选
          </Button>
        </Typography.Paragraph>
      )}
      {!groupText && !q && (
        <Typography.Paragraph type="secondary" className="members__lag">
          新注册的会员在 10 分钟内进入列表（每日统计时编号）；按昵称或会员 ID 搜索可以立即找到。
        </Typography.Paragraph>
      )}
      {(segment || tier) && shown && <SegmentGrantDialog open={granting} onClose={() => setGranting(false)} group={{ segment, tier, day: shown.asOf }} groupName={groupName} />}
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      <Table<MemberRow>
        rowKey="id"
        loading={list.loading}
        dataSource={list.rows}
        pagination={false}
        locale={{ emptyText: '没有找到会员' }}
        scroll={{ x: 1100 }}
        columns={[
          { title: '昵称', dataIndex: 'nickname', fixed: 'left', render: (name: string, u) => <Link to={`/members/${u.id}`}>{name}</Link> },
          { title: '等级', render: (_, u) => u.level.name },
          { title: '可用积分', dataIndex: 'points' },
          { title: `近 ${shown?.rfmWindowDays ?? ''} 天消费`, key: 'paid', render: (_, u) => (u.growth.rfm ? `${formatFen(u.growth.rfm.paidFen)}（${u.growth.rfm.orders} 单）` : '—') },
          { title: '最近活跃', render: (_, u) => u.growth.lastActiveDay ?? '—' },
          { title: '分层', render: (_, u) => (u.growth.tier ? TIER_NAMES[u.growth.tier] : '—') },
          { title: 'RFM', render: (_, u) => (u.growth.rfm ? RFM_SEGMENT_LABELS[u.growth.rfm.segment].name : '—') },
          { title: '身份', dataIndex: 'roles', render: (roles: string[]) => roles.filter((r) => ROLE_TAGS[r]).map((r) => <Tag key={r}>{ROLE_TAGS[r]}</Tag>) },
          { title: '手机', dataIndex: 'phoneMasked', render: (p: string | null) => p ?? '未绑定' },
          { title: '注册时间', dataIndex: 'createdAt', render: (at: string) => businessDateTimeText(new Date(at), session.timeZone) },
        ]}
      />
      <LoadMore list={list} />
    </Card>
  )
}
