import { useState } from 'react'
import { App as AntApp, Button, Space, Upload } from 'antd'
import { photoPath } from '@xianlin/shared'
import { api, errorText } from '../api'

/**
 * A form field holding a photo id: upload a file (the server keeps three sizes, upright and
 * without EXIF), see it, remove it. Controlled by antd's Form through `value`/`onChange`.
 */
export function PhotoField({ value, onChange }: { value?: string | null; onChange?: (id: string | null) => void }) {
  const { message } = AntApp.useApp()
  const [uploading, setUploading] = useState(false)
  return (
    <Space align="start">
      {value ? (
        <img src={photoPath(value, 'thumb')} alt="商品图片" data-testid="photo-preview" style={{ width: 120, height: 120, objectFit: 'cover', borderRadius: 8, border: '1px solid #f0f0f0' }} />
      ) : (
        <div style={{ width: 120, height: 120, borderRadius: 8, border: '1px dashed #d9d9d9', display: 'flex', alignItems: 'center', justifyContent: 'center', color: '#999' }}>暂无图片</div>
      )}
      <Space direction="vertical">
        <Upload
          accept="image/jpeg,image/png,image/webp"
          showUploadList={false}
          customRequest={({ file }) => {
            setUploading(true)
            api
              .uploadPhoto(file as Blob)
              .then((r) => {
                onChange?.(r.photo.id)
                message.success('图片已上传')
              }, (err) => message.error(errorText(err, '上传失败')))
              .finally(() => setUploading(false))
          }}
        >
          <Button loading={uploading}>{value ? '更换图片' : '上传图片'}</Button>
        </Upload>
        {value && (
          <Button type="link" danger style={{ padding: 0 }} onClick={() => onChange?.(null)}>
            移除图片
          </Button>
        )}
        <span style={{ color: '#999', fontSize: 12 }}>JPG、PNG 或 WebP，10MB 以内；会自动缩放，不会裁切</span>
      </Space>
    </Space>
  )
}
