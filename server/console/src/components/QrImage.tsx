import qrcode from 'qrcode-generator'

/** A QR code of `text`, drawn in the page (no request leaves the console). */
export function QrImage({ text, alt, testId }: { text: string; alt: string; testId?: string }) {
  const qr = qrcode(0, 'M')
  qr.addData(text)
  qr.make()
  return <img src={qr.createDataURL(6, 4)} alt={alt} data-testid={testId} style={{ width: 220, height: 220 }} />
}
