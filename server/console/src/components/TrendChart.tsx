import { useEffect, useRef } from 'react'
import * as echarts from 'echarts/core'
import { LineChart } from 'echarts/charts'
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'

echarts.use([LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer])

export interface Series {
  name: string
  values: number[]
}

/** A line per series over the days (x axis), redrawn when the data changes and resized with the window. */
export function TrendChart({ days, series, height = 320 }: { days: string[]; series: Series[]; height?: number }) {
  const box = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const chart = echarts.init(box.current!)
    chart.setOption({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 40, right: 24, top: 40, bottom: 30 },
      xAxis: { type: 'category', data: days.map((d) => d.slice(5)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: series.map((s) => ({ name: s.name, type: 'line', data: s.values })),
    })
    const resize = () => chart.resize()
    window.addEventListener('resize', resize)
    return () => {
      window.removeEventListener('resize', resize)
      chart.dispose()
    }
  }, [days, series])
  return <div ref={box} style={{ width: '100%', height }} />
}
