import fs from 'node:fs'
import path from 'node:path'

/** Where code names a database operator the conformance suite does not vouch for. */
export interface OperatorViolation {
  file: string
  line: number
  text: string
  reason: string
}

/**
 * Shapes the embedded database answers differently from MongoDB (db/conformance/divergences):
 * a negation on an array path (`'members.userId': { $ne … }`), `$pull` with a condition
 * object, `$push` with `$slice` and `$sum` of a constant. They are refused wherever they appear,
 * covered operator or not. So is a raw `bulkWrite`: FerretDB freezes on one long update command.
 */
const DIVERGENT_SHAPES: Array<{ pattern: RegExp; reason: string; except?: string }> = [
  { pattern: /['"`][\w$]+\.[\w.$]+['"`]\s*:\s*\{\s*\$(ne|nin)\b/, reason: '$ne/$nin on a dotted path (an array path on FerretDB matches wrongly)' },
  { pattern: /\$pull\s*:\s*\{[^}]*:\s*\{/, reason: '$pull with a condition (FerretDB leaves the element in place)' },
  { pattern: /\$slice\b/, reason: '$push with $slice (FerretDB ignores the slice)' },
  { pattern: /\$sum\s*:\s*\d/, reason: '$sum of a constant (FerretDB counts 0): sum a stored field or use $count' },
  { pattern: /\.bulkWrite\(/, reason: 'bulkWrite outside db/bulk-update.ts (FerretDB freezes on an update command of ~100 matched statements): use bulkUpdate', except: 'db/bulk-update.ts' },
]

/** Operators as code writes them, as keys (`$inc:`, `'$sum':`); field references (`'$amount'`) are values. */
const OPERATOR = /(?<![\w$.])['"]?\$([a-zA-Z]+)['"]?\s*:/g

/** The operators the conformance suite covers: the names given to `shape(...)` in its files. */
export function coveredOperators(conformanceDir: string): Set<string> {
  const covered = new Set<string>()
  for (const file of fs.readdirSync(conformanceDir).filter((f) => f.endsWith('.conformance.test.ts'))) {
    const text = fs.readFileSync(path.join(conformanceDir, file), 'utf8')
    for (const call of text.matchAll(/\bshape\(\s*(\[[^\]]*\]|'[^']*')/g)) {
      for (const name of call[1]!.matchAll(/'(\$[a-zA-Z]+)'/g)) covered.add(name[1]!)
    }
  }
  return covered
}

/**
 * Checks source files (models, services, jobs, db helpers: not tests) against the covered
 * operators and the divergent shapes. Strings and comments count too: a comment naming an
 * operator costs nothing to cover, and a string is how dotted-path operators are written.
 */
export function findOperatorViolations(sources: Array<{ file: string; text: string }>, covered: Set<string>): OperatorViolation[] {
  const violations: OperatorViolation[] = []
  for (const { file, text } of sources) {
    text.split('\n').forEach((line, i) => {
      const code = line.replace(/\/\/.*$/, '').replace(/^\s*\*.*$/, '')
      for (const m of code.matchAll(OPERATOR)) {
        if (!covered.has(`$${m[1]}`)) violations.push({ file, line: i + 1, text: line.trim(), reason: `$${m[1]} is not covered by db/conformance` })
      }
      for (const { pattern, reason, except } of DIVERGENT_SHAPES) if (file !== except && pattern.test(code)) violations.push({ file, line: i + 1, text: line.trim(), reason })
    })
  }
  return violations
}

/** The server's own source files that talk to the database, tests excluded. */
export function serverSources(srcDir: string): Array<{ file: string; text: string }> {
  const out: Array<{ file: string; text: string }> = []
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name)
      if (entry.isDirectory()) {
        if (entry.name !== 'conformance') walk(full)
      } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && full !== __filename) {
        out.push({ file: path.relative(srcDir, full), text: fs.readFileSync(full, 'utf8') })
      }
    }
  }
  walk(srcDir)
  return out
}
