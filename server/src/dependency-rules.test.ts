import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/**
 * The layering rules of `.dependency-cruiser.cjs` (run by `npm test` as `check:deps`): the real
 * tree passes, and a violation of each kind fails the check.
 */
const SERVER = path.join(__dirname, '..')
const CONFIG = path.join(SERVER, '.dependency-cruiser.cjs')
// npm places the package in the server workspace or hoists it to the root, depending on its peers.
const CLI = [path.join(SERVER, 'node_modules'), path.join(SERVER, '..', 'node_modules')].map((d) => path.join(d, 'dependency-cruiser', 'bin', 'dependency-cruise.mjs')).find((f) => fs.existsSync(f))!
const depcruise = (cwd: string, args: string[]) => spawnSync(process.execPath, [CLI, '--config', CONFIG, '--output-type', 'err', ...args], { cwd, encoding: 'utf8' })

/** A throwaway tree shaped like the server, holding one import of each forbidden kind. */
function violatingTree(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'deps-'))
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true })
    fs.writeFileSync(path.join(root, file), text)
  }
  write('tsconfig.json', JSON.stringify({ compilerOptions: { module: 'commonjs', strict: true } }))
  write('src/http/app-thing.ts', 'export const x = 1\n')
  write('src/db/ledger.ts', "import { x } from '../http/app-thing'\nexport const y = x\n")
  write('src/modules/orders/order.model.ts', 'export const OrderModel = {}\n')
  write('src/modules/leaders/leaders.service.ts', "import { OrderModel } from '../orders/order.model'\nexport const z = OrderModel\n")
  write('src/modules/orders/orders.routes.ts', "import { OrderModel } from './order.model'\nexport const r = OrderModel\n")
  write('src/db/launcher.ts', 'export const launch = 1\n')
  write('src/modules/orders/orders.service.ts', "import { launch } from '../../db/launcher'\nexport const s = launch\n")
  return root
}

describe('dependency rules', () => {
  it('pass on the real tree', () => {
    const res = depcruise(SERVER, ['src', '../shared/src'])
    expect([res.status, res.stdout + res.stderr]).toEqual([0, expect.stringContaining('no dependency violations found')])
  })

  it('fail on a new violation of each rule, naming it', () => {
    const root = violatingTree()
    try {
      const res = depcruise(root, ['src'])
      expect(res.status).not.toBe(0)
      const out = res.stdout + res.stderr
      expect(out).toContain('db-not-to-http: src/db/ledger.ts → src/http/app-thing.ts')
      expect(out).toContain('no-other-modules-models: src/modules/leaders/leaders.service.ts → src/modules/orders/order.model.ts')
      expect(out).toContain('routes-not-to-models: src/modules/orders/orders.routes.ts → src/modules/orders/order.model.ts')
      expect(out).toContain('embedded-database-in-db: src/modules/orders/orders.service.ts → src/db/launcher.ts')
    } finally {
      fs.rmSync(root, { recursive: true, force: true })
    }
  })

  it('keep the embedded database unnamed outside src/db/ (its workarounds live there)', () => {
    const named: string[] = []
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name)
        if (entry.isDirectory()) {
          if (path.relative(SERVER, file) !== path.join('src', 'db')) walk(file)
        } else if (/(?<![.]test)[.]ts$/.test(entry.name) && /ferret/i.test(fs.readFileSync(file, 'utf8'))) named.push(path.relative(SERVER, file))
      }
    }
    walk(path.join(SERVER, 'src'))
    expect(named).toEqual([])
  })
})
