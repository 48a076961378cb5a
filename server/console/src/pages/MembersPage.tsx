import { useEffect, useState } from 'react'
import { Link, useSearchParams } from 'react-router-dom'
import { Alert, Card, Input, Table, Tag } from 'antd'
import { businessDateTimeText, type UserView } from '@xianlin/shared'
import { api, errorText } from '../api'
import { useSession } from '../session'

const ROLE_TAGS: Record<string, string> = { leader: '团长', staff: '店员' }

/** 会员: search by member id or the start of a nickname; the search sits in the URL. */
export function MembersPage() {
  const { session } = useSession()
  const [params, setParams] = useSearchParams()
  const q = params.get('q') ?? ''
  const [rows, setRows] = useState<UserView[] | null>(null)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    if (!q) return setRows(null)
    setError(null)
    api.get('members', '/api/admin/members', { q }).then(
      (r) => setRows(r.members),
      (err) => setError(errorText(err, '查询失败')),
    )
  }, [q])

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
      {rows && (
        <Table<UserView>
          rowKey="id"
          dataSource={rows}
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
      )}
    </Card>
  )
}
