import Taro from '@tarojs/taro'
import type { PhotoView } from '@xianlin/shared'
import { request } from '../api/request'

/** A chosen image: its temporary path, and in H5 the browser's own File (Taro keeps it). */
export interface ChosenImage {
  path: string
  originalFileObj?: Blob
}

/** The bytes of a chosen image: read from the file system in the mini-program, from the File in H5. */
async function bytesOf({ path, originalFileObj: file }: ChosenImage): Promise<{ data: ArrayBuffer; type: string }> {
  if (process.env.TARO_ENV === 'weapp' || !file) {
    const data = await new Promise<ArrayBuffer>((resolve, reject) =>
      Taro.getFileSystemManager().readFile({ filePath: path, success: (res) => resolve(res.data as ArrayBuffer), fail: reject }),
    )
    return { data, type: /\.png$/i.test(path) ? 'image/png' : /\.webp$/i.test(path) ? 'image/webp' : 'image/jpeg' }
  }
  // Read from the File itself: fetching its blob: URL is a connection our CSP refuses.
  return { data: await file.arrayBuffer(), type: file.type || 'image/jpeg' }
}

/**
 * Uploads a photo the member chose (晒单): the raw bytes, as the server takes them; it resizes
 * them and drops their metadata (camera, position) itself.
 */
export async function uploadReviewPhoto(image: ChosenImage): Promise<PhotoView> {
  const { data, type } = await bytesOf(image)
  return (await request<{ photo: PhotoView }>('/api/review-photos', { method: 'POST', data, contentType: type })).photo
}
