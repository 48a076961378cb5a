import Taro from '@tarojs/taro'
import type { PhotoView } from '@xianlin/shared'
import { request } from '../api/request'

/** The bytes of a chosen image: read from the file system in the mini-program, fetched in H5. */
async function bytesOf(path: string): Promise<{ data: ArrayBuffer; type: string }> {
  if (process.env.TARO_ENV === 'weapp') {
    const data = await new Promise<ArrayBuffer>((resolve, reject) =>
      Taro.getFileSystemManager().readFile({ filePath: path, success: (res) => resolve(res.data as ArrayBuffer), fail: reject }),
    )
    return { data, type: /\.png$/i.test(path) ? 'image/png' : /\.webp$/i.test(path) ? 'image/webp' : 'image/jpeg' }
  }
  const blob = await (await fetch(path)).blob()
  return { data: await blob.arrayBuffer(), type: blob.type || 'image/jpeg' }
}

/**
 * Uploads a photo the member chose (晒单): the raw bytes, as the server takes them; it resizes
 * them and drops their metadata (camera, position) itself.
 */
export async function uploadReviewPhoto(path: string): Promise<PhotoView> {
  const { data, type } = await bytesOf(path)
  return (await request<{ photo: PhotoView }>('/api/review-photos', { method: 'POST', data, contentType: type })).photo
}
