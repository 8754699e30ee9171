import {
  type BandsResult,
  BollingerBands,
  DonchianChannels,
  type DonchianChannelsResult,
  EMA,
  MACD,
  type MACDResult,
  ROC,
  RSI,
} from 'trading-signals';
import type { InstrumentView } from '../types.js';

/** A library indicator's result after each closed bar of one instrument, oldest first. */
export class IndicatorSeries<T> {
  private readonly values: (T | null)[] = [];

  constructor(
    private readonly inst: InstrumentView,
    private readonly feed: (i: number) => T | null,
  ) {}

  /**
   * The result after closed bar `i` (absolute index), or null while the indicator is not stable. Feeds each bar
   * once, in order, and never a bar the instrument does not show yet (null for those).
   */
  at(i: number): T | null {
    const visible = this.inst.close.length;
    while (this.values.length <= i && this.values.length < visible) this.values.push(this.feed(this.values.length));
    return this.values[i] ?? null;
  }
}

/**
 * The indicators agents compute on one instrument, each computed once per parameter set and shared by every
 * agent that asks for it: a grid of agents that differ only in their thresholds (RSI 30/70 and 25/75 over the
 * same period, the same MACD everywhere) would otherwise feed identical indicators the same bars side by side.
 * A result depends only on the instrument's closed bars, so sharing changes no number. The library builds each
 * indicator here, so no agent can put another under a shared key.
 */
export class IndicatorBank {
  private readonly made = new Map<string, IndicatorSeries<unknown>>();

  constructor(private readonly inst: InstrumentView) {}

  rsi(period: number): IndicatorSeries<number> {
    return this.shared(`rsi:${period}`, () => {
      const rsi = new RSI(period);
      return (i) => rsi.add(this.inst.close.at(i));
    });
  }

  macd(short: number, long: number, signal: number): IndicatorSeries<MACDResult> {
    return this.shared(`macd:${short}:${long}:${signal}`, () => {
      const macd = new MACD(new EMA(short), new EMA(long), new EMA(signal));
      return (i) => macd.add(this.inst.close.at(i));
    });
  }

  bollinger(period: number, width: number): IndicatorSeries<BandsResult> {
    return this.shared(`bollinger:${period}:${width}`, () => {
      const bands = new BollingerBands(period, width);
      return (i) => bands.add(this.inst.close.at(i));
    });
  }

  roc(lookback: number): IndicatorSeries<number> {
    return this.shared(`roc:${lookback}`, () => {
      const roc = new ROC(lookback);
      return (i) => roc.add(this.inst.close.at(i));
    });
  }

  donchian(period: number): IndicatorSeries<DonchianChannelsResult> {
    return this.shared(`donchian:${period}`, () => {
      const channel = new DonchianChannels(period);
      return (i) => channel.add({ high: this.inst.high.at(i), low: this.inst.low.at(i) });
    });
  }

  private shared<T>(key: string, make: () => (i: number) => T | null): IndicatorSeries<T> {
    let s = this.made.get(key) as IndicatorSeries<T> | undefined;
    if (!s) {
      s = new IndicatorSeries(this.inst, make());
      this.made.set(key, s as IndicatorSeries<unknown>);
    }
    return s;
  }
}

const banks = new WeakMap<InstrumentView, IndicatorBank>();

/** The shared indicators of an instrument view (one bank per view, so per arena run). */
export function indicatorsOf(inst: InstrumentView): IndicatorBank {
  let bank = banks.get(inst);
  if (!bank) {
    bank = new IndicatorBank(inst);
    banks.set(inst, bank);
  }
  return bank;
}

/**
 * An agent's handle on shared series: `make` picks them from the instrument's bank once, and again only if the
 * agent is shown another instrument view (another run).
 */
export function onInstrument<T>(make: (bank: IndicatorBank) => T): (inst: InstrumentView) => T {
  let view: InstrumentView | null = null;
  let picked: T | undefined;
  return (inst) => {
    if (inst !== view || picked === undefined) {
      picked = make(indicatorsOf(inst));
      view = inst;
    }
    return picked;
  };
}
