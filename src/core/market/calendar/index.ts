export { type ClosedDay, type ClosedWhy, closedWhy, earlyCloses, type SessionGap, sessionGaps } from './gaps.js';
export { easterSunday, nyseEarlyCloses, nyseHolidays } from './nyse.js';
export {
  breakerWindowMs,
  calendarTimeZone,
  NYSE_TZ,
  parseClock,
  regularSession,
  type SessionPhase,
  type SessionState,
  sessionAt,
  type TradingCalendar,
} from './session.js';
export { instantOf, isTimeZone, wallTime } from './zoned.js';
