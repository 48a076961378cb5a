import { useSearchParams } from 'react-router-dom'
import { Card, Tabs } from 'antd'
import { Retention } from './RetentionReport'
import { Funnel } from './FunnelReport'
import { Lifecycle } from './LifecycleReport'
import { Checkins } from './CheckinReport'
import { Groupbuys } from './GroupbuyReport'
import { Invitations } from './InvitationReport'
import { Rfm } from './RfmReport'
import { PointsLiabilityReport } from './PointsLiabilityReport'
import { LeaderPerformance } from './LeaderReport'

const TABS = [
  { key: 'retention', label: '留存', Report: Retention },
  { key: 'funnel', label: '转化漏斗', Report: Funnel },
  { key: 'lifecycle', label: '用户分层', Report: Lifecycle },
  { key: 'checkins', label: '签到', Report: Checkins },
  { key: 'groupbuys', label: '拼团', Report: Groupbuys },
  { key: 'invitations', label: '邀请裂变', Report: Invitations },
  { key: 'rfm', label: 'RFM 分群', Report: Rfm },
  { key: 'points', label: '积分负债', Report: PointsLiabilityReport },
  { key: 'leaders', label: '团长', Report: LeaderPerformance },
]

/** 增长分析 (#16): reports over the event rollups, each with a date range and a CSV export. */
export function AnalyticsPage() {
  const [params, setParams] = useSearchParams()
  const active = TABS.find((t) => t.key === params.get('tab'))?.key ?? 'retention'
  return (
    <Card title="增长分析">
      <Tabs
        activeKey={active}
        onChange={(tab) => setParams({ tab })}
        destroyInactiveTabPane
        items={TABS.map(({ key, label, Report }) => ({ key, label, children: <Report /> }))}
      />
    </Card>
  )
}
