import { Link, useSearchParams } from 'react-router-dom'
import { Alert, Card, Input, Table, Tag } from 'antd'
import { businessDateTimeText, type UserView } from '@xianlin/shared'
import { api } from '../api'
import { useCursorList } from '../hooks/useCursorList'
import { LoadMore } from '../components/LoadMore'
import { useSession } from '../session'

const ROLE_TAGS: Record<string, string> = { leader: '团长', staff: '店员' }

/** 会员: every member newest first, or a search by member id or the start of a nickname (in the URL). */
export function MembersPage() {
  const { session } = useSession()
  const [params, setParams] = useSearchParams()
  const q = params.get('q') ?? ''
  const list = useCursorList<UserView>(async (cursor) => {
    const r = await api.get('members', '/api/admin/members', { q, cursor, limit: 20 })
    return { items: r.members, nextCursor: r.nextCursor }
  }, q)
  const error = list.error

  return (
    <Card title="会员">
      <Input.Search
        placeholder="会员 ID 或昵称开头"
        defaultValue={q}
        enterButton="查询"
        allowClear
        style={{ maxWidth: 420, marginBottom: 16 }}
        onSearch={(value) => setParams(value.trim() ? { q: value.trim() } : {})}
      />
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      <Table<UserView>
        rowKey="id"
        loading={list.loading}
        dataSource={list.rows}
        pagination={false}
        locale={{ emptyText: '没有找到会员' }}
        columns={[
          { title: '昵称', dataIndex: 'nickname', render: (name: string, u) => <Link to={`/members/${u.id}`}>{name}</Link> },
          { title: '会员 ID', dataIndex: 'id' },
          { title: '手机', dataIndex: 'phoneMasked', render: (p: string | null) => p ?? '未绑定' },
          { title: '身份', dataIndex: 'roles', render: (roles: string[]) => roles.filter((r) => ROLE_TAGS[r]).map((r) => <Tag key={r}>{ROLE_TAGS[r]}</Tag>) },
          { title: '注册时间', dataIndex: 'createdAt', render: (at: string) => businessDateTimeText(new Date(at), session.timeZone) },
        ]}
      />
      <LoadMore list={list} />
    </Card>
  )
}
