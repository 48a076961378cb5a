import { useEffect, useRef } from 'react'
import * as echarts from 'echarts/core'
import { BarChart, FunnelChart, HeatmapChart } from 'echarts/charts'
import { GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'

echarts.use([BarChart, FunnelChart, HeatmapChart, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent, CanvasRenderer])

export type ChartOption = echarts.EChartsCoreOption

/** One ECharts chart (heatmap, funnel or bars), redrawn when `option` changes and resized with the window. */
export function EChart({ option, height = 320 }: { option: ChartOption; height?: number }) {
  const box = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const chart = echarts.init(box.current!)
    chart.setOption(option)
    const resize = () => chart.resize()
    window.addEventListener('resize', resize)
    return () => {
      window.removeEventListener('resize', resize)
      chart.dispose()
    }
  }, [option])
  return <div ref={box} style={{ width: '100%', height }} />
}
