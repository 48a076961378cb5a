import { Button } from 'antd'

/** The next page of a cursor-paged list (see hooks/useCursorList), shown while there is one. */
export function LoadMore({ list }: { list: { hasMore: boolean; loading: boolean; more: () => Promise<void> } }) {
  if (!list.hasMore) return null
  return (
    <Button block style={{ marginTop: 12 }} loading={list.loading} onClick={() => void list.more()}>
      加载更多
    </Button>
  )
}
