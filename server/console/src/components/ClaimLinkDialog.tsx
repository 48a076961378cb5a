import { useState } from 'react'
import { App as AntApp, Button, Form, InputNumber, Modal, Space, Typography } from 'antd'
import { couponClaimPath, type AdminCouponTemplate, type CouponClaimView } from '@xianlin/shared'
import { api, showFormErrors } from '../api'
import { QrImage } from './QrImage'

/**
 * 领券链接: open a template for shoppers to claim themselves (one each, `total` in all), then show
 * the mini-program path to put in a group chat or menu, and the shop's link with its QR code.
 */
export function ClaimLinkDialog({ template, onClose }: { template: AdminCouponTemplate | null; onClose: () => void }) {
  const { message } = AntApp.useApp()
  const [form] = Form.useForm<{ total: number }>()
  const [claim, setClaim] = useState<CouponClaimView | null>(null)
  const close = () => {
    setClaim(null)
    onClose()
  }
  const open = async ({ total }: { total: number }) => {
    try {
      setClaim((await api.put('couponClaim', `/api/admin/coupon-templates/${template!.id}/claim-link`, { total })).claim)
    } catch (err) {
      showFormErrors(form, err, message.error, { fallback: '生成失败' })
    }
  }
  const path = template ? couponClaimPath(template.id) : ''
  const link = `${window.location.origin}/#/${path}`
  return (
    <Modal title={`领券链接：${template?.name ?? ''}`} open={template !== null} onCancel={close} footer={null} destroyOnClose>
      {claim ? (
        <Space direction="vertical" style={{ width: '100%' }} className="claim-link">
          <Typography.Text>
            共 {claim.total} 张，已领 {claim.claimed} 张，每位会员限领 1 张。
          </Typography.Text>
          <QrImage text={link} alt="领券二维码" testId="claim-qr" />
          <Typography.Text copyable={{ text: link }}>网页链接：{link}</Typography.Text>
          <Typography.Text copyable={{ text: path }}>小程序路径：{path}</Typography.Text>
          <Button onClick={() => setClaim(null)}>调整数量</Button>
        </Space>
      ) : (
        <Form form={form} layout="vertical" onFinish={open} initialValues={{ total: 100 }}>
          <Form.Item name="total" label="可领总数（张）" rules={[{ required: true, message: '请填写数量' }]}>
            <InputNumber min={1} precision={0} style={{ width: '100%' }} />
          </Form.Item>
          <Typography.Paragraph type="secondary">会员打开链接或扫码即可领取，每人 1 张，领完即止；已领的券按模板的有效期计算。</Typography.Paragraph>
          <Button type="primary" htmlType="submit">
            生成链接
          </Button>
        </Form>
      )}
    </Modal>
  )
}
