import { BollingerBands, EMA, MACD, RSI } from 'trading-signals';
import type { DecisionNote, Observation } from '../types.js';
import { r6, SignalAgent } from './signal-agent.js';

/** Bollinger mean reversion: long below the lower band, flat again once the close is back above the middle. */
export class BollingerAgent extends SignalAgent {
  private readonly bands: BollingerBands;
  private band: { lower: number; middle: number; upper: number } | null = null;
  private close = Number.NaN;
  private state = 0;

  constructor(
    id: string,
    private readonly period: number,
    private readonly width: number,
  ) {
    super(id);
    this.bands = new BollingerBands(period, width);
  }

  protected update(obs: Observation, i: number): void {
    const c = obs.spot.close.at(i);
    this.close = c;
    this.band = this.bands.add(c);
    if (!this.band) return;
    if (c < this.band.lower) this.state = 1;
    else if (c > this.band.middle) this.state = 0;
  }

  protected target(): number {
    return this.state;
  }

  protected why(target: number): DecisionNote {
    return {
      reason:
        target > 0
          ? `close below the lower band (${this.period}, ${this.width}σ): long`
          : 'close back above the middle band: flat',
      inputs: { close: r6(this.close), lower: r6(this.band?.lower), middle: r6(this.band?.middle) },
    };
  }
}

/** Rule-based: enter long when RSI is oversold and the MACD histogram turns up; exit when RSI is overbought. */
export class RsiMacdAgent extends SignalAgent {
  private readonly rsi: RSI;
  private readonly macd = new MACD(new EMA(12), new EMA(26), new EMA(9));
  private rsiValue: number | null = null;
  private hist: number | null = null;
  private prevHist: number | null = null;
  private state = 0;

  constructor(
    id: string,
    private readonly period: number,
    private readonly oversold: number,
    private readonly overbought: number,
  ) {
    super(id);
    this.rsi = new RSI(period);
  }

  protected update(obs: Observation, i: number): void {
    const c = obs.spot.close.at(i);
    this.rsiValue = this.rsi.add(c);
    this.prevHist = this.hist;
    this.hist = this.macd.add(c)?.histogram ?? null;
    if (this.rsiValue === null || this.hist === null || this.prevHist === null) return;
    if (this.state === 0 && this.rsiValue < this.oversold && this.hist > this.prevHist) this.state = 1;
    else if (this.state === 1 && this.rsiValue > this.overbought) this.state = 0;
  }

  protected target(): number {
    return this.state;
  }

  protected why(target: number): DecisionNote {
    return {
      reason:
        target > 0
          ? `rsi(${this.period}) < ${this.oversold} and macd histogram rising: long`
          : `rsi(${this.period}) > ${this.overbought}: flat`,
      inputs: { rsi: r6(this.rsiValue), macd_hist: r6(this.hist), macd_hist_prev: r6(this.prevHist) },
    };
  }
}
