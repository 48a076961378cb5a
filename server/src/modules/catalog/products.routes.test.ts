import mongoose from 'mongoose'
import sharp from 'sharp'
import { startTestApp, operatorLogin, type TestApp } from '../../../test/harness'
import { AuditLogModel } from '../audit/audit-log.model'

let t: TestApp
let operator: Awaited<ReturnType<typeof operatorLogin>>
beforeAll(async () => {
  t = await startTestApp(__filename)
  operator = await operatorLogin(t, 'operations')
})
afterAll(() => t.close())

/** A 2000×1000 JPEG taken "on its side" (EXIF orientation 6) with a camera model and GPS in its EXIF. */
const cameraPhoto = () =>
  sharp({ create: { width: 2000, height: 1000, channels: 3, background: '#3a7' } })
    .jpeg()
    .withMetadata({ orientation: 6, exif: { IFD0: { Model: 'Test Camera X' }, IFD3: { GPSLatitudeRef: 'N' } } })
    .toBuffer()

const upload = (bytes: Buffer, type = 'image/jpeg') => t.http.post('/api/admin/photos').set(operator.auth).set('content-type', type).send(bytes)

describe('product photos', () => {
  it('stores an upload upright in three sizes without its EXIF, served with long-lived cache headers', async () => {
    const original = await cameraPhoto()
    expect(original.includes(Buffer.from('Test Camera X'))).toBe(true)
    const res = await upload(original).expect(201)
    // Orientation 6 means "rotate 90°": the stored photo is 1000 wide and 2000 high, scaled to fit 1280.
    expect(res.body.photo).toMatchObject({ width: 640, height: 1280 })

    const sizes = { thumb: 240, medium: 720, large: 1280 }
    for (const [size, side] of Object.entries(sizes)) {
      const got = await t.http.get(`/api/photos/${res.body.photo.id}/${size}`).buffer(true).parse((r, cb) => {
        const chunks: Buffer[] = []
        r.on('data', (c: Buffer) => chunks.push(c)).on('end', () => cb(null, Buffer.concat(chunks)))
      }).expect(200)
      expect(got.headers['content-type']).toBe('image/jpeg')
      expect(got.headers['cache-control']).toBe('public, max-age=31536000, immutable')
      const bytes = got.body as Buffer
      const meta = await sharp(bytes).metadata()
      expect([meta.width, meta.height]).toEqual([side / 2, side])
      expect(meta.exif).toBeUndefined()
      expect(meta.orientation).toBeUndefined()
      expect(bytes.includes(Buffer.from('Test Camera X'))).toBe(false)
    }
  })

  it('answers an empty upload 400 and a truncated one 422, storing nothing', async () => {
    const files = () => mongoose.connection.db!.collection('photos.files').countDocuments()
    const before = await files()
    const empty = await upload(Buffer.alloc(0)).expect(400)
    expect(empty.body.error).toMatchObject({ code: 'VALIDATION_FAILED', message: '图片是空的，请重新选择' })
    const whole = await cameraPhoto()
    const cut = await upload(whole.subarray(0, Math.floor(whole.length / 3))).expect(422)
    expect(cut.body.error.code).toBe('PHOTO_UNREADABLE')
    expect(await files()).toBe(before)
  })

  it('refuses what is not a photo, and an unknown photo size or id', async () => {
    expect((await upload(Buffer.from('not an image at all')).expect(422)).body.error.code).toBe('PHOTO_UNREADABLE')
    expect((await upload(Buffer.from('GIF89a'), 'image/gif').expect(415)).body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE')
    await t.http.get('/api/photos/0123456789abcdef01234567/thumb').expect(404)
    await t.http.get('/api/photos/0123456789abcdef01234567/huge').expect(400)
  })

  it('takes uploads only from operators who manage the catalogue', async () => {
    const analyst = await operatorLogin(t, 'analyst')
    await t.http.post('/api/admin/photos').set(analyst.auth).set('content-type', 'image/jpeg').send(await cameraPhoto()).expect(403)
    await t.http.post('/api/admin/photos').set('content-type', 'image/jpeg').send(await cameraPhoto()).expect(401)
  })
})

describe('products in the console', () => {
  it('creates a product with a photo that shoppers see, edits it with before/after in the audit log, and takes it off the shelf', async () => {
    const photo = (await upload(await cameraPhoto()).expect(201)).body.photo.id
    const created = await t.http
      .post('/api/admin/products')
      .set(operator.auth)
      .send({ name: '阳光玫瑰葡萄', subtitle: '脆甜多汁', category: '水果', priceFen: 3990, unit: '500g', tags: ['当季'], photo })
      .expect(201)
    const product = created.body.product
    expect(product).toMatchObject({ name: '阳光玫瑰葡萄', onShelf: true, cover: { photo } })
    expect(product.sku).toMatch(/^P[0-9A-F]{10}$/)

    const shelf = await t.http.get('/api/products').expect(200)
    expect(shelf.body.products.find((p: { id: string }) => p.id === product.id)?.cover.photo).toBe(photo)

    const edited = await t.http.patch(`/api/admin/products/${product.id}`).set(operator.auth).send({ priceFen: 3590 }).expect(200)
    expect(edited.body.product.priceFen).toBe(3590)
    const audit = await AuditLogModel.findOne({ action: 'product.update', targetId: product.id }).lean()
    expect(audit?.details).toMatchObject({ before: { priceFen: 3990 }, after: { priceFen: 3590 } })
    expect(audit?.operator?.username).toBe(operator.username)

    await t.http.patch(`/api/admin/products/${product.id}`).set(operator.auth).send({ onShelf: false }).expect(200)
    expect((await t.http.get('/api/products').expect(200)).body.products.some((p: { id: string }) => p.id === product.id)).toBe(false)
    const offShelf = await t.http.get('/api/admin/products').query({ shelf: 'off' }).set(operator.auth).expect(200)
    expect(offShelf.body.products.map((p: { id: string }) => p.id)).toContain(product.id)
  })

  it('refuses a photo that was never uploaded, a taken SKU and a bad price, naming the field and creating nothing', async () => {
    const before = (await t.http.get('/api/admin/products').query({ limit: 100 }).set(operator.auth).expect(200)).body.products.length
    const missing = await t.http.post('/api/admin/products').set(operator.auth).send({ name: '无图', category: '水果', priceFen: 100, unit: '份', photo: '0123456789abcdef01234567' }).expect(422)
    expect(missing.body.error.details[0].path).toBe('body.photo')
    await t.http.post('/api/admin/products').set(operator.auth).send({ sku: 'DUP-1', name: '甲', category: '水果', priceFen: 100, unit: '份' }).expect(201)
    const dup = await t.http.post('/api/admin/products').set(operator.auth).send({ sku: 'DUP-1', name: '乙', category: '水果', priceFen: 100, unit: '份' }).expect(409)
    expect(dup.body.error.details[0].path).toBe('body.sku')
    const price = await t.http.post('/api/admin/products').set(operator.auth).send({ name: '丙', category: '水果', priceFen: 9.5, unit: '份' }).expect(400)
    expect(price.body.error.details[0].path).toBe('body.priceFen')
    const after = (await t.http.get('/api/admin/products').query({ limit: 100 }).set(operator.auth).expect(200)).body.products.length
    expect(after).toBe(before + 1)
  })

  it('pages newest first with a cursor', async () => {
    for (const n of [1, 2, 3]) await t.http.post('/api/admin/products').set(operator.auth).send({ name: `翻页商品${n}`, category: '翻页', priceFen: 100, unit: '份' }).expect(201)
    const first = await t.http.get('/api/admin/products').query({ category: '翻页', limit: 2 }).set(operator.auth).expect(200)
    expect(first.body.products.map((p: { name: string }) => p.name)).toEqual(['翻页商品3', '翻页商品2'])
    const second = await t.http.get('/api/admin/products').query({ category: '翻页', limit: 2, cursor: first.body.nextCursor }).set(operator.auth).expect(200)
    expect(second.body.products.map((p: { name: string }) => p.name)).toEqual(['翻页商品1'])
    expect(second.body.nextCursor).toBeNull()
  })
})
