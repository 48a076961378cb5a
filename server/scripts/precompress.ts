import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'

/**
 * Writes `.br` and `.gz` beside every text asset of a build folder (`tsx server/scripts/precompress.ts
 * dist/h5`), at the highest levels, once per build: the server then sends the smallest one the
 * browser accepts (koa-send) instead of compressing on every request.
 */
const TEXT = /\.(js|css|html|svg|json|txt|map)$/
const MIN_BYTES = 1024 // below this, compression saves less than its header costs

export function precompress(dir: string): { files: number; before: number; after: number } {
  let files = 0
  let before = 0
  let after = 0
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const file = path.join(entry.parentPath, entry.name)
    if (!entry.isFile() || !TEXT.test(entry.name) || entry.name.endsWith('.LICENSE.txt')) continue
    const raw = fs.readFileSync(file)
    if (raw.length < MIN_BYTES) continue
    const br = zlib.brotliCompressSync(raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length } })
    fs.writeFileSync(`${file}.br`, br)
    fs.writeFileSync(`${file}.gz`, zlib.gzipSync(raw, { level: 9 }))
    files++
    before += raw.length
    after += br.length
  }
  return { files, before, after }
}

if (require.main === module) {
  const dir = path.resolve(process.argv[2] ?? '')
  if (!process.argv[2] || !fs.existsSync(dir)) {
    console.error('usage: tsx server/scripts/precompress.ts <build folder>')
    process.exit(2)
  }
  const { files, before, after } = precompress(dir)
  console.log(`precompressed ${files} files in ${path.relative(process.cwd(), dir)}: ${(before / 1024).toFixed(0)} KB → ${(after / 1024).toFixed(0)} KB (brotli)`)
}
