/** The report's browser script (plain JavaScript, run after the inlined lightweight-charts build). */
export const REPORT_SCRIPT = `
(function () {
  const D = JSON.parse(document.getElementById('arena-data').textContent);
  const LW = window.LightweightCharts;
  const ids = D.board.rows.map((r) => r.agent);
  const palette = D.palette;
  const color = (id) => palette[ids.indexOf(id) % palette.length];
  const base = { layout: { background: { color: '#ffffff' }, textColor: '#1f2937' }, timeScale: { timeVisible: true, minBarSpacing: 0.01 },
    grid: { vertLines: { color: '#f1f5f9' }, horzLines: { color: '#f1f5f9' } }, autoSize: true };
  const make = (id) => LW.createChart(document.getElementById(id), base);

  const price = make('price-chart');
  const candles = price.addSeries(LW.CandlestickSeries, { upColor: '#16a34a', downColor: '#dc2626', borderVisible: false,
    wickUpColor: '#16a34a', wickDownColor: '#dc2626' });
  candles.setData(D.candles.map((c) => ({ time: c[0], open: c[1], high: c[2], low: c[3], close: c[4] })));
  const markers = LW.createSeriesMarkers(candles, []);

  const lines = { equity: {}, drawdown: {} };
  const equity = make('equity-chart');
  const drawdown = make('drawdown-chart');
  for (const id of ids) {
    const pts = D.curves[id] || [];
    const opts = { color: color(id), lineWidth: 1, priceLineVisible: false, lastValueVisible: false };
    lines.equity[id] = equity.addSeries(LW.LineSeries, opts);
    lines.equity[id].setData(pts.map((p) => ({ time: p[0], value: p[1] })));
    lines.drawdown[id] = drawdown.addSeries(LW.LineSeries, opts);
    lines.drawdown[id].setData(pts.map((p) => ({ time: p[0], value: 100 * p[2] })));
  }

  const select = document.getElementById('agent');
  function show(id) {
    const ts = D.trades[id] || [];
    markers.setMarkers(ts.map((t) => ({ time: t[0], position: t[1] > 0 ? 'belowBar' : 'aboveBar',
      shape: t[1] > 0 ? 'arrowUp' : 'arrowDown', color: t[1] > 0 ? '#16a34a' : '#dc2626', text: t[4] ? 'P' : '' })));
    for (const k of ['equity', 'drawdown']) {
      for (const other of ids) lines[k][other].applyOptions({ lineWidth: other === id ? 3 : 1 });
    }
    document.getElementById('trade-count').textContent = ts.length + ' fills';
  }
  select.addEventListener('change', () => show(select.value));
  show(select.value);

  const charts = [price, equity, drawdown];
  const alloc = D.board.allocation;
  if (alloc && alloc.trust) {
    const chart = make('allocation-chart');
    charts.push(chart);
    const t0 = D.candles.length ? D.candles[0][0] : 0;
    const from = alloc.segments.length ? alloc.segments[0].from : 0;
    const at = (k) => t0 + (from + k) * D.timeframeSeconds;
    for (const [name, c] of [['trust', '#2563eb'], ['equal', '#64748b']]) {
      const s = chart.addSeries(LW.LineSeries, { color: c, lineWidth: 2, title: name, priceLineVisible: false });
      s.setData(alloc[name].curve.map((v, k) => ({ time: at(k), value: v })));
    }
  }
  for (const c of charts) c.timeScale().fitContent();
})();
`;
