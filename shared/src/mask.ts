/** Shows a nickname to other users without revealing it whole: '王小明' → '王*明', 'Al' → 'A*'. */
export function maskName(name: string): string {
  const chars = Array.from(name.trim())
  if (chars.length === 0) return '*'
  if (chars.length <= 2) return `${chars[0]}*`
  return `${chars[0]}${'*'.repeat(Math.min(chars.length - 2, 3))}${chars[chars.length - 1]}`
}

/** Shows a mainland phone number masked: '13812341234' → '138****1234'. */
export function maskPhone(phone: string): string {
  let digits = phone.replace(/\D/g, '')
  if (digits.length === 13 && digits.startsWith('86')) digits = digits.slice(2)
  if (digits.length < 7) return '****'
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`
}
