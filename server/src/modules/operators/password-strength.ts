import { ZxcvbnFactory } from '@zxcvbn-ts/core'
import * as common from '@zxcvbn-ts/language-common'
import * as en from '@zxcvbn-ts/language-en'

/**
 * zxcvbn's estimate of how guessable a password is (0–4), with the common-password and English
 * dictionaries and keyboard patterns; built on first use (its dictionaries are a few megabytes).
 */
let checker: ZxcvbnFactory | null = null
const estimate = (password: string, context: string[]) => {
  checker ??= new ZxcvbnFactory({ dictionary: { ...common.dictionary, ...en.dictionary }, graphs: common.adjacencyGraphs, translations: en.translations })
  return checker.check(password, context).score
}

/** Operators' passwords must reach this score: zxcvbn's "safely unguessable" for an online attack, throttled or not. */
export const MIN_PASSWORD_SCORE = 3
/** Words a guesser of this shop's passwords tries first, besides the operator's own names. */
const SHOP_WORDS = ['xianlin', 'xianlinyouxuan', '鲜邻', '鲜邻优选', 'admin', 'console']

/** Why a new password is refused (it is common, a pattern, or built from the operator's own names), or null. */
export function passwordWeakness(password: string, names: readonly string[]): string | null {
  return estimate(password, [...SHOP_WORDS, ...names]) >= MIN_PASSWORD_SCORE ? null : '密码太容易被猜到：避开常见密码、连续或重复的字符和自己的用户名，试试几个不相关的词再加数字或符号'
}
