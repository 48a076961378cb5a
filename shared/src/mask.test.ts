import { maskName, maskPhone } from './mask'

describe('masking for display to others', () => {
  it.each([
    ['王小明', '王*明'],
    ['李雷', '李*'],
    ['A', 'A*'],
    ['欧阳娜娜娜', '欧***娜'],
    ['  ', '*'],
  ])('maskName(%s) → %s', (name, masked) => expect(maskName(name)).toBe(masked))

  it.each([
    ['13812341234', '138****1234'],
    ['+86 138-1234-1234', '138****1234'],
    ['123', '****'],
  ])('maskPhone(%s) → %s', (phone, masked) => expect(maskPhone(phone)).toBe(masked))
})
