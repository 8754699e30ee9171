import {
  CandlestickSeries,
  ColorType,
  CrosshairMode,
  createChart,
  createSeriesMarkers,
  type DeepPartial,
  type IChartApi,
  type ISeriesApi,
  type ISeriesMarkersPluginApi,
  LineSeries,
  type SeriesMarker,
  type Time,
  type TimeChartOptions,
  type UTCTimestamp,
} from 'lightweight-charts';
import type { Curve, Series, Trade } from '../arena-data.js';
import { byId, fill, h } from '../dom.js';
import { agentColour, usd } from '../format.js';

const sec = (ms: number) => Math.floor(ms / 1000) as UTCTimestamp;

const BASE: DeepPartial<TimeChartOptions> = {
  autoSize: true,
  layout: {
    background: { type: ColorType.Solid, color: 'transparent' },
    textColor: '#8b9bbb',
    fontFamily: 'ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
    fontSize: 11,
    attributionLogo: false,
  },
  grid: { vertLines: { color: 'rgba(120,140,180,0.07)' }, horzLines: { color: 'rgba(120,140,180,0.07)' } },
  rightPriceScale: { borderColor: 'rgba(120,140,180,0.18)' },
  timeScale: { borderColor: 'rgba(120,140,180,0.18)', timeVisible: true, secondsVisible: false },
  crosshair: { mode: CrosshairMode.Magnet },
};

/** Last-value labels on the equity chart's price axis (the leading lines). */
export const AXIS_LABELS = 3;

/** Every agent's equity, one line each; the legend toggles a line. */
export class EquityChart {
  private readonly chart: IChartApi;
  private readonly lines = new Map<string, ISeriesApi<'Line'>>();
  private readonly hidden = new Set<string>();
  private fitted = false;

  constructor() {
    this.chart = createChart(byId('equity-chart'), {
      ...BASE,
      localization: { priceFormatter: (p: number) => usd(p, 0) },
    });
  }

  update(curves: Curve[]): void {
    // The price axis shows the last value of the leading few lines only: seventeen stacked labels hide the axis.
    const shown = curves.filter((c) => !this.hidden.has(c.agent_id));
    const labelled = new Set(
      shown
        .map((c) => ({ id: c.agent_id, last: c.points.at(-1)?.equity ?? Number.NEGATIVE_INFINITY }))
        .sort((a, b) => b.last - a.last)
        .slice(0, AXIS_LABELS)
        .map((x) => x.id),
    );
    for (const c of curves) {
      let line = this.lines.get(c.agent_id);
      if (!line) {
        line = this.chart.addSeries(LineSeries, {
          color: agentColour(c.agent_id),
          lineWidth: 2,
          priceLineVisible: false,
          lastValueVisible: false,
          title: '',
        });
        this.lines.set(c.agent_id, line);
      }
      line.setData(c.points.map((p) => ({ time: sec(p.ts), value: p.equity })));
      line.applyOptions({
        color: agentColour(c.agent_id),
        visible: !this.hidden.has(c.agent_id),
        lastValueVisible: labelled.has(c.agent_id),
      });
    }
    const box = byId('equity-chart');
    box.dataset.lines = String(this.lines.size);
    box.dataset.axisLabels = String(
      [...this.lines.values()].filter((l) => l.options().visible && l.options().lastValueVisible).length,
    );
    if (!this.fitted && curves.some((c) => c.points.length > 1)) {
      this.chart.timeScale().fitContent();
      this.fitted = true;
    }
    this.legend(curves);
  }

  private legend(curves: Curve[]): void {
    fill(
      byId('equity-legend'),
      curves.map((c) =>
        h(
          'button',
          {
            type: 'button',
            class: `key${this.hidden.has(c.agent_id) ? ' off' : ''}`,
            onclick: () => {
              if (this.hidden.has(c.agent_id)) this.hidden.delete(c.agent_id);
              else this.hidden.add(c.agent_id);
              this.update(curves);
            },
          },
          h('i', { class: 'swatch', style: `background:${agentColour(c.agent_id)}` }),
          c.agent_id,
        ),
      ),
    );
    if (curves.length === 0) fill(byId('equity-legend'), h('span', { class: 'muted' }, 'no arena run yet'));
  }
}

/** Candles of the traded market with every agent's fills as markers (▲ buy below, ▼ sell above). */
export class PriceChart {
  private readonly chart: IChartApi;
  private readonly candles: ISeriesApi<'Candlestick'>;
  private readonly markers: ISeriesMarkersPluginApi<Time>;
  private symbol: string | null = null;
  private fittedFor: string | null = null;

  constructor() {
    this.chart = createChart(byId('price-chart'), BASE);
    this.candles = this.chart.addSeries(CandlestickSeries, {
      upColor: '#26a69a',
      downColor: '#ef5350',
      borderVisible: false,
      wickUpColor: '#26a69a',
      wickDownColor: '#ef5350',
    });
    this.markers = createSeriesMarkers(this.candles, []);
  }

  private shownSeries: Series | null = null;

  /** The series the chart draws (for the caption that names its market). */
  get shown(): Series | null {
    return this.shownSeries;
  }

  update(series: Series[], trades: Trade[]): void {
    const symbols = series.map((s) => s.symbol);
    if (!this.symbol || !symbols.includes(this.symbol)) this.symbol = symbols[0] ?? null;
    const s = series.find((x) => x.symbol === this.symbol);
    this.shownSeries = s ?? null;
    this.legend(series, trades);
    if (!s) {
      this.candles.setData([]);
      this.markers.setMarkers([]);
      return;
    }
    byId('price-title').textContent = `${s.symbol} · trades`;
    this.candles.setData(
      s.candles.map((c) => ({ time: sec(c.ts), open: c.open, high: c.high, low: c.low, close: c.close })),
    );
    const tf = s.timeframe_ms;
    const first = s.candles[0]?.ts ?? 0;
    // One marker per bar and side: a stack of one arrow per fill hides the candles. The marker takes the
    // agent's colour when one agent traded, and counts the agents when several did.
    const groups = new Map<string, { time: number; side: 'buy' | 'sell'; agents: Set<string> }>();
    for (const t of trades) {
      if (t.symbol !== s.symbol || t.ts < first) continue;
      const at = Math.floor(t.ts / tf) * tf;
      const key = `${at}:${t.side}`;
      const g = groups.get(key) ?? { time: at, side: t.side, agents: new Set<string>() };
      g.agents.add(t.agent_id);
      groups.set(key, g);
    }
    const markers: SeriesMarker<Time>[] = [...groups.values()].map((g) => {
      const one = g.agents.size === 1 ? [...g.agents][0]! : null;
      return {
        time: sec(g.time),
        position: g.side === 'buy' ? 'belowBar' : 'aboveBar',
        shape: g.side === 'buy' ? 'arrowUp' : 'arrowDown',
        color: one ? agentColour(one) : g.side === 'buy' ? '#a7f3d0' : '#fecdd3',
        size: 0.6,
        ...(one ? {} : { text: String(g.agents.size) }),
      };
    });
    markers.sort((a, b) => (a.time as number) - (b.time as number));
    const box = byId('price-chart');
    box.dataset.fills = String(trades.filter((t) => t.symbol === s.symbol && t.ts >= first).length);
    box.dataset.markers = String(markers.length);
    box.dataset.markerBars = String(new Set(markers.map((m) => m.time)).size);
    this.markers.setMarkers(markers);
    if (this.fittedFor !== s.symbol && s.candles.length > 1) {
      this.chart.timeScale().fitContent();
      this.fittedFor = s.symbol;
    }
  }

  private legend(series: Series[], trades: Trade[]): void {
    const agents = [...new Set(trades.map((t) => t.agent_id))];
    const pick =
      series.length > 1
        ? h(
            'select',
            {
              class: 'mini',
              'aria-label': 'symbol',
              onchange: (e: Event) => {
                this.symbol = (e.target as HTMLSelectElement).value;
                this.update(series, trades);
              },
            },
            series.map((s) => h('option', { value: s.symbol, selected: s.symbol === this.symbol }, s.symbol)),
          )
        : null;
    fill(
      byId('price-legend'),
      pick,
      agents.map((a) =>
        h('span', { class: 'key static' }, h('i', { class: 'swatch', style: `background:${agentColour(a)}` }), a),
      ),
      agents.length ? h('span', { class: 'muted small' }, '▲ buy ▼ sell') : null,
    );
  }
}
