/**
 * Layering rules (ARCHITECTURE.md, dependency direction), checked by `npm test`:
 * routes → flows → services → models; a module never reads another module's models; `db/` imports
 * nothing from `http/`; `shared/` stays pure. Any violation fails.
 */
module.exports = {
  forbidden: [
    {
      name: 'db-not-to-http',
      comment: 'The database layer knows nothing of HTTP.',
      severity: 'error',
      from: { path: '^src/db/' },
      to: { path: '^src/http/' },
    },
    {
      name: 'no-other-modules-models',
      comment: "A module reaches another domain through its service, never its models.",
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/' },
      to: { path: '^src/modules/[^/]+/[^/]+[.]model[.]ts$', pathNot: '^src/modules/$1/' },
    },
    {
      name: 'routes-not-to-models',
      comment: 'A route validates, authorizes and calls a service; it never touches a model.',
      severity: 'error',
      from: { path: '[.]routes[.]ts$' },
      to: { path: '[.]model[.]ts$' },
    },
    {
      name: 'flows-through-services',
      comment: 'A flow orchestrates services; it never touches a model.',
      severity: 'error',
      from: { path: '^src/flows/' },
      to: { path: '[.]model[.]ts$' },
    },
    {
      name: 'services-not-to-flows',
      comment: 'Flows call services, never the other way round (routes and jobs may call flows).',
      severity: 'error',
      from: { path: '^src/modules/', pathNot: '[.]routes[.]ts$' },
      to: { path: '^src/flows/' },
    },
    {
      name: 'embedded-database-in-db',
      comment: 'Only the entry points start the embedded database; the domain never knows which database it runs on.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(db/|main[.]ts$)' },
      to: { path: '^src/db/(ferretdb-install|launcher)[.]ts$' },
    },
    {
      name: 'shared-stays-pure',
      comment: 'shared/ is imported by both sides: no server, mini-program, database or framework code.',
      severity: 'error',
      from: { path: '^[.][.]/shared/' },
      to: { path: '^src/|^[.][.]/miniapp/|node_modules/(mongoose|koa|@koa|@tarojs)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '[.]test[.]ts$|/test/|/bench/|/console/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
}
