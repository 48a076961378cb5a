import { useEffect, useState } from 'react'
import { App as AntApp, Alert, Descriptions, Modal, Select, Typography } from 'antd'
import { formatFen, type AdminCouponTemplate, type LifecycleTier, type RfmSegment, type SegmentGrantPreview } from '@xianlin/shared'
import { api, errorText } from '../api'
import { requestKey } from '../requestKey'

/**
 * 给这些会员发券: pick an active coupon template, read how many members and what face value the
 * grant commits, then confirm; the server refuses if the group changed since, with its new count.
 */
export function SegmentGrantDialog(props: { open: boolean; onClose: () => void; group: { segment?: RfmSegment; tier?: LifecycleTier; day: string }; groupName: string }) {
  const { message } = AntApp.useApp()
  const [templates, setTemplates] = useState<AdminCouponTemplate[]>([])
  const [templateId, setTemplateId] = useState<string | undefined>()
  const [preview, setPreview] = useState<SegmentGrantPreview | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [sending, setSending] = useState(false)
  const [key] = useState(requestKey)

  useEffect(() => {
    if (props.open) void api.get('adminCouponTemplates', '/api/admin/coupon-templates', { limit: 100 }).then((r) => setTemplates(r.templates.filter((t) => t.active)), () => setTemplates([]))
  }, [props.open])
  useEffect(() => {
    setPreview(null)
    setError(null)
    if (templateId) api.get('segmentGrantPreview', '/api/admin/coupons/segment-grant', { templateId, ...props.group }).then(setPreview, (err) => setError(errorText(err, '加载失败')))
  }, [templateId, props.group.segment, props.group.tier, props.group.day]) // eslint-disable-line react-hooks/exhaustive-deps

  const send = async () => {
    if (!templateId || !preview) return
    setSending(true)
    try {
      const r = await api.post('segmentGranted', '/api/admin/coupons/segment-grant', { templateId, ...props.group, expectedMembers: preview.members, idempotencyKey: key })
      message.success(`已发放 ${r.granted} 张${r.replayed ? `（${r.replayed} 位会员此前已发过）` : ''}`)
      props.onClose()
    } catch (err) {
      setError(errorText(err, '发券失败'))
    } finally {
      setSending(false)
    }
  }

  return (
    <Modal title={`给「${props.groupName}」的会员发券`} open={props.open} onCancel={props.onClose} onOk={() => void send()} okText="确认发放" cancelText="取消" okButtonProps={{ disabled: !preview || preview.members === 0, loading: sending }} destroyOnClose>
      <Select aria-label="优惠券" placeholder="选择优惠券" style={{ width: '100%', marginBottom: 16 }} value={templateId} onChange={setTemplateId} options={templates.map((t) => ({ value: t.id, label: t.name }))} />
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      {preview && (
        <Descriptions column={1} size="small" className="segment-grant__preview">
          <Descriptions.Item label="发放人数">{preview.members} 人（截至 {props.group.day}）</Descriptions.Item>
          <Descriptions.Item label="每张面额">{preview.faceValueFen === null ? '折扣券' : formatFen(preview.faceValueFen)}</Descriptions.Item>
          <Descriptions.Item label="预算上限">{preview.budgetFen === null ? '按使用时的订单金额计算' : `${formatFen(preview.budgetFen)}（全部使用时）`}</Descriptions.Item>
        </Descriptions>
      )}
      <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
        每位会员一张；重复提交不会重复发放。人数以提交时的分群为准，如有变化会提示重新确认。
      </Typography.Paragraph>
    </Modal>
  )
}
