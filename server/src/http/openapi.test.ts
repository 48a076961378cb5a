import { startTestApp, type TestApp } from '../../test/harness'

/** `/api/docs` describes every route the server mounts, with what it takes and what it answers. */
let t: TestApp
beforeAll(async () => {
  t = await startTestApp(__filename)
})
afterAll(() => t.close())

it('lists every route with its access, parameters, body and reply schema', async () => {
  const doc = (await t.http.get('/api/docs').expect(200)).body as { openapi: string; paths: Record<string, Record<string, { 'x-access': string; parameters: Array<{ name: string; in: string }>; requestBody?: { content: Record<string, { schema: object }> }; responses: Record<string, { content?: Record<string, { schema: { type?: string } }> }> }>> }
  expect(doc.openapi).toBe('3.1.0')
  const missing = t.routes.filter(([method, path]) => !doc.paths[path.replace(/:(\w+)/g, '{$1}')]?.[method]).map(([method, path]) => `${method} ${path}`)
  expect(missing).toEqual([])
  expect(Object.values(doc.paths).reduce((n, ops) => n + Object.keys(ops).length, 0)).toBe(t.routes.length)
  for (const [method, path, , schemas] of t.routes) {
    const op = doc.paths[path.replace(/:(\w+)/g, '{$1}')]![method]!
    // Every path parameter is described, a body when the route takes one, a JSON reply when it answers one.
    for (const name of path.match(/:(\w+)/g) ?? []) expect({ route: `${method} ${path}`, param: op.parameters.some((p) => p.in === 'path' && p.name === name.slice(1)) }).toEqual({ route: `${method} ${path}`, param: true })
    expect({ route: `${method} ${path}`, body: Boolean(op.requestBody) }).toEqual({ route: `${method} ${path}`, body: Boolean(schemas.body) })
    if (typeof schemas.reply === 'object') expect({ route: `${method} ${path}`, reply: Object.values(op.responses).some((r) => r.content?.['application/json']?.schema) }).toEqual({ route: `${method} ${path}`, reply: true })
  }
  // A concrete one: the check-in route is for signed-in shoppers and answers its result.
  const checkin = doc.paths['/api/checkins']!.post!
  expect(checkin['x-access']).toMatch(/roles|signed-in/)
  expect(checkin.responses['200'] ?? checkin.responses['201']).toBeDefined()
})
