export {
  type AccountMetrics,
  accountMetrics,
  applyFill,
  createAccount,
  isWorking,
  leverageOf,
  spotAvailable,
} from './account.js';
export { DEFAULT_PAPER_CONFIG, type FeeRates, type PaperConfig } from './config.js';
export { amendOrder, cancelOrder, setLeverage, setTradingStop } from './manage.js';
export { markAt, marksAt } from './market-marks.js';
export type { ModelledBook, PaperMarketView } from './market-view.js';
export { placeOrder } from './place.js';
export { advanceAccount, liveSymbols, metricsNow, settleFunding } from './process.js';
export { ScriptedMarket, type ScriptedSymbol } from './scripted-market.js';
export type * from './types.js';
export { type BalanceView, balanceView, type PositionView, positionViews } from './views.js';
