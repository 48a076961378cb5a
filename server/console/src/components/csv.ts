/**
 * Downloads rows as a CSV file. Cells with commas, quotes or line breaks are quoted; a BOM goes
 * first so spreadsheet programs read the Chinese headers as UTF-8.
 */
export function downloadCsv(filename: string, rows: ReadonlyArray<ReadonlyArray<string | number | null>>): void {
  const cell = (v: string | number | null) => {
    const text = v === null ? '' : String(v)
    return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
  }
  const url = URL.createObjectURL(new Blob(['\ufeff' + rows.map((r) => r.map(cell).join(',')).join('\n')], { type: 'text/csv;charset=utf-8' }))
  const link = Object.assign(document.createElement('a'), { href: url, download: filename })
  link.click()
  URL.revokeObjectURL(url)
}
