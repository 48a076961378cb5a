import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ConfigError, loadConfig } from './config'
import { DEFAULT_RULES_FILE } from './paths'

const strongSecret = 'k'.repeat(48)

function rulesFileWith(mutate: (rules: Record<string, any>) => void): string {
  const rules = JSON.parse(fs.readFileSync(DEFAULT_RULES_FILE, 'utf8'))
  mutate(rules)
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rules-')), 'rules.json')
  fs.writeFileSync(file, JSON.stringify(rules))
  return file
}

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env)
  } catch (err) {
    if (err instanceof ConfigError) return err.problems
    throw err
  }
  return []
}

describe('loadConfig', () => {
  it('has safe development defaults: dev login and demo data on, embedded database', () => {
    const config = loadConfig({})
    expect(config).toMatchObject({ env: 'development', port: 3000, devLogin: true, seedDemo: true, mongodbUri: undefined })
    expect(Object.isFrozen(config.rules.levels)).toBe(true)
  })

  it('refuses to start in production without a JWT secret, with a weak one, or with dev login on', () => {
    expect(problemsOf({ NODE_ENV: 'production', WECHAT_SECRET: 's' })).toContain('JWT_SECRET is required in production')
    expect(problemsOf({ NODE_ENV: 'production', WECHAT_SECRET: 's', JWT_SECRET: 'secret' })).toEqual([
      expect.stringContaining('at least 32 characters'),
    ])
    expect(problemsOf({ NODE_ENV: 'production', WECHAT_SECRET: 's', JWT_SECRET: strongSecret, DEV_LOGIN: 'on' })).toEqual([
      'DEV_LOGIN must be off in production',
    ])
    expect(problemsOf({ NODE_ENV: 'production', JWT_SECRET: strongSecret })).toEqual(['WECHAT_SECRET is required in production'])
  })

  it('starts in production with its secrets set, dev login and demo data off', () => {
    const config = loadConfig({ NODE_ENV: 'production', JWT_SECRET: strongSecret, WECHAT_SECRET: 'real' })
    expect(config).toMatchObject({ devLogin: false, seedDemo: false })
  })

  it('names a mistyped environment variable value', () => {
    expect(problemsOf({ PORT: 'eighty' })).toEqual([expect.stringMatching(/^PORT:/)])
    expect(problemsOf({ DEV_LOGIN: 'maybe' })).toEqual([expect.stringMatching(/^DEV_LOGIN:/)])
  })

  it('fails on a rules file with a misspelt key, naming the key', () => {
    const file = rulesFileWith((r) => {
      r.points.expiryDayz = r.points.expiryDays
      delete r.points.expiryDays
    })
    const problems = problemsOf({ RULES_FILE: file })
    expect(problems.join('\n')).toContain('unknown key "points.expiryDayz"')
    expect(problems.join('\n')).toContain('"points.expiryDays"')
  })
})
