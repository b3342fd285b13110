/* Anmin's build of Apache ECharts 6.1.0: only what the analytics pages draw (analytics.js for the
   统计分析 page, and bigscreen.js through it for the 大屏). build.sh bundles it into
   anmin/analytics/static/analytics/vendor/echarts-6.1.0-anmin.min.js, a classic script that sets
   window.echarts. A page that needs another series type, component or function of the API: add it
   here, rebuild (`make echarts`), and name it in anmin/analytics/tests/test_echarts_build.py.
   docs/decisions/0028-custom-echarts-build.md. */
import {use} from "echarts/core";
import {BarChart, LineChart, PieChart} from "echarts/charts";
import {GridComponent, LegendComponent, TooltipComponent} from "echarts/components";
import {CanvasRenderer} from "echarts/renderers";

// GridComponent: the grid with its category and value axes (xAxis, yAxis) under bars and lines.
// LegendComponent: the plain legend and the scrolling one (legend.type "scroll").
// TooltipComponent: item and axis tooltips (richText); it brings the axisPointer the axis trigger uses.
// The themes "default" and "dark" (the 大屏) and the label layout come with echarts/core itself.
use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

// window.echarts: the functions of echarts/core that the pages and their tests call, and a few kin
// (whatever is not named here is left out of the bundle: echarts.graphic, echarts.format, registerMap, ...).
export {
  connect, disconnect, dispose, getInstanceByDom, getInstanceById, init, registerLocale, registerPostUpdate,
  registerTheme, version
} from "echarts/core";
