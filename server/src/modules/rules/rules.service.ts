import { perkLevelProblems, RulesSchema, type Rules, type RulesView } from '@xianlin/shared'
import { AppError } from '../../core/app-error'
import { isDuplicateKeyError } from '../../db/errors'
import { recordAudit } from '../audit/audit.service'
import type { LiveRules } from './live-rules'
import { RulesVersionModel } from './rules-version.model'

type Change = { path: string; before: unknown; after: unknown }

/** Every leaf that differs between two rules objects, by dotted path. */
function diff(before: unknown, after: unknown, path = ''): Change[] {
  if (before && after && typeof before === 'object' && typeof after === 'object' && Array.isArray(before) === Array.isArray(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)])
    return [...keys].flatMap((k) => diff((before as Record<string, unknown>)[k], (after as Record<string, unknown>)[k], path ? `${path}.${k}` : k))
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path, before: before ?? null, after: after ?? null }]
}

/**
 * The product's rules as operators edit them (规则设置): each save is a new numbered version in the
 * database, checked by the same schema as the rules file, audited with every changed value and
 * why, and applied here at once; other instances pick it up on their next refresh (a job every
 * 30 seconds), so every instance pays by it within a minute, with no restart. The rules file
 * stays the default for a database with no saved version.
 */
export function createRulesService(deps: { live: LiveRules; clock: () => Date }) {
  const { live, clock } = deps
  let meta: Pick<RulesView, 'savedAt' | 'savedBy' | 'reason'> = { savedAt: null, savedBy: null, reason: null }

  return {
    view(): RulesView {
      return { version: live.version(), rules: live.current(), ...meta }
    },

    /** Applies the newest saved version if this instance is behind (one `_id`-sorted read). */
    async refresh(): Promise<boolean> {
      const newest = await RulesVersionModel.findOne({ _id: { $gt: live.version() } }).sort({ _id: -1 }).lean<{ _id: number; rules: Rules; reason: string; operator: { username: string }; createdAt: Date }>()
      if (!newest) return false
      live.apply(newest._id, RulesSchema.parse(newest.rules))
      meta = { savedAt: newest.createdAt.toISOString(), savedBy: newest.operator.username, reason: newest.reason }
      return true
    },

    async save(input: { baseVersion: number; rules: unknown; reason: string }, by: { id: string; username: string }): Promise<RulesView> {
      const parsed = RulesSchema.safeParse(input.rules)
      if (!parsed.success) {
        throw new AppError(
          'VALIDATION_FAILED',
          undefined,
          parsed.error.issues.map((i) => ({ path: ['body', 'rules', ...i.path.map(String), ...(i.code === 'unrecognized_keys' ? [i.keys.join(',')] : [])].join('.'), message: i.message })),
        )
      }
      const next = parsed.data
      const crossProblems = perkLevelProblems(next)
      if (crossProblems.length) throw new AppError('VALIDATION_FAILED', undefined, crossProblems.map((p) => ({ path: `body.rules.${p.path}`, message: p.message })))
      await this.refresh()
      if (input.baseVersion !== live.version()) throw new AppError('RULES_CHANGED')
      const before = live.current()
      if (next.business.timeZone !== before.business.timeZone) {
        // Every stored business day depends on it: a deployment setting, not a console edit.
        throw new AppError('VALIDATION_FAILED', undefined, [{ path: 'body.rules.business.timeZone', message: '时区只能在部署配置中修改' }])
      }
      const changes = diff(before, next)
      if (!changes.length) throw new AppError('VALIDATION_FAILED', '没有修改任何规则')
      const version = input.baseVersion + 1
      const now = clock()
      try {
        await RulesVersionModel.create({ _id: version, rules: next, reason: input.reason, operator: by, changes, createdAt: now })
      } catch (err) {
        if (isDuplicateKeyError(err)) throw new AppError('RULES_CHANGED')
        throw err
      }
      live.apply(version, next)
      meta = { savedAt: now.toISOString(), savedBy: by.username, reason: input.reason }
      await recordAudit({ actorId: null, action: 'rules.update', targetType: 'rules', targetId: String(version), outcome: 'saved', details: { reason: input.reason, changes }, at: now })
      return this.view()
    },

    async history(limit = 20) {
      const rows = await RulesVersionModel.find({}).sort({ _id: -1 }).limit(limit).lean<Array<{ _id: number; reason: string; operator: { username: string }; changes: Change[]; createdAt: Date }>>()
      return { versions: rows.map((r) => ({ version: r._id, savedAt: r.createdAt.toISOString(), savedBy: r.operator.username, reason: r.reason, changes: r.changes })) }
    },
  }
}

export type RulesService = ReturnType<typeof createRulesService>
