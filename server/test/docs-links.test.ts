import fs from 'node:fs'
import path from 'node:path'
import { REPO_ROOT } from '../src/paths'

/** The README stays short, and every link in it and in docs/ leads somewhere (a file, and a heading when it names one). */
const pages = ['README.md', ...fs.readdirSync(path.join(REPO_ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => path.join('docs', f))]
const anchorsOf = (file: string) =>
  new Set(
    [...fs.readFileSync(file, 'utf8').matchAll(/^#+ (.+)$/gm)].map((m) =>
      m[1]!
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s-]/gu, '')
        .replace(/\s/g, '-'),
    ),
  )

it('keeps the README within 150 lines', () => {
  expect(fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8').trimEnd().split('\n').length).toBeLessThanOrEqual(150)
})

it.each(pages)('%s links only to what exists', (page) => {
  const text = fs.readFileSync(path.join(REPO_ROOT, page), 'utf8')
  const broken: string[] = []
  for (const m of text.matchAll(/\]\(([^)\s]+)\)|src="([^"]+)"/g)) {
    const link = m[1] ?? m[2]!
    if (/^[a-z]+:/.test(link)) continue
    const [target, anchor] = link.split('#')
    const file = target ? path.resolve(REPO_ROOT, path.dirname(page), target) : path.join(REPO_ROOT, page)
    if (!fs.existsSync(file)) broken.push(link)
    else if (anchor && file.endsWith('.md') && !anchorsOf(file).has(anchor)) broken.push(link)
  }
  expect(broken).toEqual([])
})
