import { Button, Popconfirm, Space, Tag } from 'antd'

/** On sale or off it: the state as a tag, and the one action that changes it (taking off asks first). */
export function ShelfToggle({ onShelf, onChange, offWarning }: { onShelf: boolean; onChange: (next: boolean) => unknown; offWarning: string }) {
  return onShelf ? (
    <Space size={4}>
      <Tag color="green">在售</Tag>
      <Popconfirm title="确定下架？" description={offWarning} okText="下架" okButtonProps={{ danger: true }} cancelText="取消" onConfirm={() => onChange(false)}>
        <Button size="small" type="link">
          下架
        </Button>
      </Popconfirm>
    </Space>
  ) : (
    <Space size={4}>
      <Tag>已下架</Tag>
      <Button size="small" type="link" onClick={() => onChange(true)}>
        上架
      </Button>
    </Space>
  )
}
