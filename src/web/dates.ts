/**
 * When a message came, as shown beside it: the time alone on the day it is read, with the day for
 * an older one ("3 Mar 09:49"), and the year too when it is not this year's.
 */
export function timeLabel(at: Date, now: Date, locale?: string): string {
  const time = at.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  if (sameDay(at, now)) return time;
  const sameYear = at.getFullYear() === now.getFullYear();
  const day = at.toLocaleDateString(locale, { day: 'numeric', month: 'short', ...(sameYear ? {} : { year: 'numeric' }) });
  return `${day} ${time}`;
}

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}
