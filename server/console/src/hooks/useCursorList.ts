import { useCallback, useEffect, useRef, useState } from 'react'
import { errorText } from '../api'

export interface CursorPage<T> {
  items: T[]
  nextCursor: string | null
}

/**
 * A list the server pages with a cursor: the first page loads whenever `key` (the filters) changes,
 * `more` appends the next one. Answers to an older `key` are dropped, so a fast typist never sees
 * the rows of a search they already replaced.
 */
export function useCursorList<T>(load: (cursor: string | undefined) => Promise<CursorPage<T>>, key: string) {
  const [rows, setRows] = useState<T[]>([])
  const [next, setNext] = useState<string | null>(null)
  const [loading, setLoading] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const generation = useRef(0)
  const loadRef = useRef(load)
  loadRef.current = load

  const fetchPage = useCallback(async (cursor: string | undefined) => {
    const mine = generation.current
    setLoading(true)
    setError(null)
    try {
      const page = await loadRef.current(cursor)
      if (mine !== generation.current) return
      setRows((old) => (cursor ? [...old, ...page.items] : page.items))
      setNext(page.nextCursor)
    } catch (err) {
      if (mine === generation.current) setError(errorText(err, '加载失败，请稍后再试'))
    } finally {
      if (mine === generation.current) setLoading(false)
    }
  }, [])

  const reload = useCallback(() => {
    generation.current++
    return fetchPage(undefined)
  }, [fetchPage])

  useEffect(() => void reload(), [key, reload])

  return { rows, loading, error, hasMore: next !== null, more: () => (next ? fetchPage(next) : Promise.resolve()), reload }
}
