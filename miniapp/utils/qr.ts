import qrcode from 'qrcode-generator'

/**
 * The dark/light modules of a QR code for `text`, row by row. Error correction M: still scans
 * with a smudge or a screen glare.
 */
export function qrModules(text: string): boolean[][] {
  const qr = qrcode(0, 'M')
  qr.addData(text)
  qr.make()
  const n = qr.getModuleCount()
  return Array.from({ length: n }, (_, r) => Array.from({ length: n }, (_, c) => qr.isDark(r, c)))
}
