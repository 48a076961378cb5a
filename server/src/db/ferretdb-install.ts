import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/**
 * The FerretDB release we build. v1.24.0 rather than v1.24.1: the Go module proxy reachable here
 * answers 403 for v1.24.1 (and for the module's version list, which `go install pkg@version`
 * reads), so we fetch v1.24.0 with `go mod download` and build it from its module source.
 */
export const FERRETDB_VERSION = 'v1.24.0'
const MODULE = 'github.com/FerretDB/FerretDB'

/**
 * Our changes to FerretDB's source before building it, each replacing `from` (found exactly
 * `times` times) with `to`.
 *
 * 1. Its SQLite backend creates the unique
 * `_id` index on the expression `_ferretdb_sjson->"_id"` but looks documents up with
 * `_ferretdb_sjson->'$._id'`; SQLite uses an expression index only for the same expression, so
 * every lookup, update and delete by `_id` scanned the whole table (an update by `_id` cost 43 ms
 * on 20,000 documents, and grew with the collection). The patch makes the lookups use the index's
 * own expression; the index and the stored data are unchanged, so existing databases keep working.
 * 2. The backend narrows a query to one `_id` only when the filter is `{ _id }` alone, so a
 *    guarded write (`{ _id, version }`, `{ _id, no: { $exists: false } }`) scanned the table.
 *    It now narrows whenever the filter holds an `_id` equal to a string or ObjectId. That is
 *    safe because every command applies the whole filter again to what the backend returns
 *    (find, count, distinct, update, findAndModify, delete, aggregate's `$match`): the backend
 *    only has to return a superset.
 *    A filter on `_id: { $in: [...] }` of strings or ObjectIds (up to 1,000: a job's batch) is
 *    narrowed the same way, to those ids looked up in the `_id` index, where it scanned the table.
 * 3. Every `find` (and `aggregate`) asks the backend for its collection's settings through
 *    `ListCollections`, which deep-copied and sorted the metadata of every collection of the
 *    database to pick one out: a cost on each read that grows with the collections (one per day
 *    of events). Asked for one name, it now copies that one.
 * 4. Its leak tracking records a stack (a pprof profile sample) and sets a finalizer for every
 *    cursor and iterator, about 8% of its time under load; it now runs in its debug builds only.
 */
/** The patch that narrows `_id: { $in }` where the backend narrows `_id` equality, before the line `next`. */
function narrowIdIn(next: string, pushdown: string[]) {
  const equality = '\t\t\targs = []any{string(must.NotFail(sjson.MarshalSingleValue(v)))}'
  return {
    file: 'internal/backends/sqlite/collection.go',
    from: `${equality}\n\t\t}\n\t}\n\n${next}`,
    to: [
      equality,
      '\t\tcase *types.Document: // xianlin: `_id: { $in: [...] }` from the primary key too',
      '\t\t\tif ids, ok := idsIn(v.(*types.Document)); ok {',
      ...pushdown,
      '\t\t\t\twhereClause = fmt.Sprintf(` WHERE %s IN (%s)`, metadata.IDColumn, strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", "))',
      '\t\t\t\targs = ids',
      '\t\t\t}',
      '\t\t}',
      '\t}',
      '',
      next,
    ].join('\n'),
    times: 1,
  }
}

const PATCHES = [
  { file: 'internal/backends/sqlite/metadata/metadata.go', from: `IDColumn = DefaultColumn + "->'$._id'"`, to: 'IDColumn = DefaultColumn + `->"_id"`', times: 1 },
  { file: 'internal/backends/sqlite/collection.go', from: 'if params.Filter.Len() == 1 {', to: 'if params.Filter.Len() >= 1 {', times: 2 },
  {
    file: 'internal/backends/sqlite/database.go',
    from: 'params *backends.ListCollectionsParams) (*backends.ListCollectionsResult, error) {\n\tlist, err := db.r.CollectionList(ctx, db.name)\n',
    to: [
      'params *backends.ListCollectionsParams) (*backends.ListCollectionsResult, error) {',
      '\tvar list []*metadata.Collection',
      '\tvar err error',
      '\tif params != nil && len(params.Name) > 0 { // xianlin: the one collection asked for, not a sorted copy of all of them',
      '\t\tif c := db.r.CollectionGet(ctx, db.name, params.Name); c != nil {',
      '\t\t\tlist = []*metadata.Collection{c}',
      '\t\t}',
      '\t} else {',
      '\t\tlist, err = db.r.CollectionList(ctx, db.name)',
      '\t}',
      '',
    ].join('\n'),
    times: 1,
  },
  // Query, then Explain (which says what Query does).
  narrowIdIn('\tq += whereClause', []),
  narrowIdIn('\torderByClause := prepareOrderByClause(params.Sort)', ['\t\t\t\tfilterPushdown = true']),
  {
    file: 'internal/backends/sqlite/collection.go',
    from: '// check interfaces\n',
    to: [
      '// idsIn returns the ids of `{ $in: [...] }` as the _id column stores them, when each is a string or ObjectId (xianlin).',
      'func idsIn(d *types.Document) ([]any, bool) {',
      '\tif d.Len() != 1 {',
      '\t\treturn nil, false',
      '\t}',
      '\tv, err := d.Get("$in")',
      '\tif err != nil {',
      '\t\treturn nil, false',
      '\t}',
      '\tarr, ok := v.(*types.Array)',
      '\tif !ok || arr.Len() == 0 || arr.Len() > 1000 {',
      '\t\treturn nil, false',
      '\t}',
      '\tids := make([]any, 0, arr.Len())',
      '\tfor i := 0; i < arr.Len(); i++ {',
      '\t\tswitch e := must.NotFail(arr.Get(i)); e.(type) {',
      '\t\tcase string, types.ObjectID:',
      '\t\t\tids = append(ids, string(must.NotFail(sjson.MarshalSingleValue(e))))',
      '\t\tdefault:',
      '\t\t\treturn nil, false',
      '\t\t}',
      '\t}',
      '\treturn ids, true',
      '}',
      '',
      '// check interfaces',
      '',
    ].join('\n'),
    times: 1,
  },
  ...['Track', 'Untrack'].map((name) => ({
    file: 'internal/util/resource/resource.go',
    from: `func ${name}(obj any, token *Token) {\n`,
    to: `func ${name}(obj any, token *Token) {\n\tif !debugbuild.Enabled { // xianlin: leak tracking in debug builds only\n\t\treturn\n\t}\n`,
    times: 1,
  })),
  // Write commands run one at a time across all connections: FerretDB runs update, findAndModify
  // and delete as a read and then a write without isolation, so two of them on two connections
  // could interleave (50 concurrent $inc left a counter at 4). Reads stay concurrent.
  { file: 'internal/handler/handler.go', from: 'type Handler struct {', to: 'var writesMu sync.Mutex\n\ntype Handler struct {', times: 1 },
  ...[['update', 'MsgUpdate'], ['insert', 'MsgInsert'], ['delete', 'MsgDelete'], ['findandmodify', 'MsgFindAndModify']].map(([command, handler]) => {
    const signature = `func (h *Handler) ${handler}(connCtx context.Context, msg *wire.OpMsg) (*wire.OpMsg, error) {`
    return { file: `internal/handler/msg_${command}.go`, from: signature, to: `${signature}\n\t// xianlin: one write command at a time, whatever the connection (see ferretdb-install.ts).\n\twritesMu.Lock()\n\tdefer writesMu.Unlock()\n`, times: 1 }
  }),
]
/** What our build's version says when it runs write commands one at a time (the app then opens a few connections). */
export const SERIAL_WRITES = '+serial-writes'
/** What a built binary's stamp says; a binary without this stamp (built before the patches) is built again. */
export const FERRETDB_BUILD = `${FERRETDB_VERSION}+id-index-lookup+id-narrowing+id-in-narrowing+one-collection-lookup+no-leak-tracking${SERIAL_WRITES}`

/** True when `binary` was built by this version of the installer. */
export function isCurrentBuild(binary: string): boolean {
  try {
    return fs.readFileSync(`${binary}.build`, 'utf8').trim() === FERRETDB_BUILD
  } catch {
    return false
  }
}

function patchSource(dir: string): void {
  for (const patch of PATCHES) {
    const file = path.join(dir, patch.file)
    const source = fs.readFileSync(file, 'utf8')
    const found = source.split(patch.from).length - 1
    if (found !== patch.times) throw new Error(`FerretDB source changed: ${patch.file} has ${patch.from} ${found} times, not ${patch.times}; review the patch`)
    fs.writeFileSync(file, source.replaceAll(patch.from, patch.to))
  }
}

export function hasGo(): boolean {
  return findOnPath('go') !== null
}

export function findOnPath(cmd: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, cmd)
    try {
      fs.accessSync(candidate, fs.constants.X_OK)
      return candidate
    } catch {
      /* not here */
    }
  }
  return null
}

/**
 * Builds FerretDB into `binDir`. Its release build reads its own version from
 * `build/version/version.txt`, which the module archive lacks; we write it, as FerretDB's docs
 * say to, apply our patches, and `go build` from a copy of the module. Go's caches make later
 * builds quick.
 */
export async function installFerretDB(binDir: string, log: (line: string) => void = console.log): Promise<string> {
  const target = path.join(binDir, 'ferretdb')
  const env = { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=readonly' }
  log(`Building FerretDB ${FERRETDB_VERSION} with Go (first time only; a few minutes)...`)
  log(`  downloading ${MODULE}@${FERRETDB_VERSION}`)
  const info = JSON.parse(await run('go', ['mod', 'download', '-json', `${MODULE}@${FERRETDB_VERSION}`], { env, cwd: os.tmpdir(), capture: true })) as { Dir?: string; Error?: string }
  if (!info.Dir) throw new Error(`go mod download failed: ${info.Error ?? 'no module directory'}`)
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ferretdb-src-'))
  try {
    fs.cpSync(info.Dir, work, { recursive: true })
    makeWritable(work)
    // The stamp as its version: `buildInfo` then tells the app which patches the server has.
    fs.writeFileSync(path.join(work, 'build', 'version', 'version.txt'), `${FERRETDB_BUILD}\n`)
    patchSource(work)
    fs.mkdirSync(binDir, { recursive: true })
    log('  compiling (go build ./cmd/ferretdb)')
    await run('go', ['build', '-trimpath', '-o', target, './cmd/ferretdb'], { env, cwd: work })
    fs.writeFileSync(`${target}.build`, `${FERRETDB_BUILD}\n`)
  } finally {
    fs.rmSync(work, { recursive: true, force: true })
  }
  log(`FerretDB installed at ${target}`)
  return target
}

function makeWritable(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name)
    fs.chmodSync(p, entry.isDirectory() ? 0o755 : 0o644)
    if (entry.isDirectory()) makeWritable(p)
  }
}

function run(cmd: string, args: string[], opts: { env: NodeJS.ProcessEnv; cwd: string; capture?: boolean }): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: opts.env, cwd: opts.cwd, stdio: ['ignore', opts.capture ? 'pipe' : 'inherit', 'inherit'] })
    let out = ''
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()))
    child.on('error', reject)
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}`))))
  })
}
