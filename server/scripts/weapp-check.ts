import { generateKeyPairSync } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import * as ci from 'miniprogram-ci'
import { REPO_ROOT } from '../src/paths'
import { ensureWeappBuild } from './weapp-build'

/**
 * Checks the built mini-program (`dist/weapp`) with WeChat's own miniprogram-ci, offline: its code
 * analysis and its code-quality items (package size, compression, lazy code loading, unused code).
 * miniprogram-ci needs an appid and an upload key to open a project even for checks that never
 * upload: a placeholder appid and a key made for this run, thrown away after. Run it in a process
 * of its own (`npm run check:weapp`): miniprogram-ci leaves a file watcher open that never ends.
 */
export async function checkWeapp(): Promise<{ files: number; failed: Array<{ name: string; text: string }>; items: number }> {
  ensureWeappBuild()
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weapp-check-'))
  try {
    const keyPath = path.join(dir, 'private.key')
    fs.writeFileSync(keyPath, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }))
    const project = new ci.Project({ appid: 'wx0000000000000000', type: 'miniProgram', projectPath: path.join(REPO_ROOT, 'dist', 'weapp'), privateKeyPath: keyPath, ignores: ['node_modules/**/*'] })
    const analysed = await ci.analyseCode(project, { silent: true })
    if (!analysed) throw new Error('miniprogram-ci could not analyse dist/weapp')
    const quality = await ci.checkCodeQuality(project)
    return { files: analysed.files.length, items: quality.length, failed: quality.filter((q) => !q.success).map((q) => ({ name: String(q.name), text: q.text ?? '' })) }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

if (require.main === module) {
  checkWeapp().then(
    ({ files, items, failed }) => {
      console.log(`miniprogram-ci: analysed ${files} files; ${items - failed.length} of ${items} code-quality items pass`)
      for (const f of failed) console.log(`  ✗ ${f.name}: ${f.text}`)
      // For the build test, which runs this in a child process: the figures as JSON, last line.
      if (process.argv.includes('--json')) console.log(JSON.stringify({ files, items, failed }))
      process.exit(failed.length ? 1 : 0)
    },
    (err: Error) => {
      console.error(err.message)
      process.exit(1)
    },
  )
}
