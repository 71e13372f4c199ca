// Wall-clock times in an IANA time zone with the browser's own Intl data: what a post's time
// reads as for its account, and the instant a time typed for that zone stands for.
const formatters = new Map();

function partsFormatter(zone) {
  if (!formatters.has(zone)) {
    formatters.set(zone, new Intl.DateTimeFormat("en-CA", {
      timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", second: "2-digit",
    }));
  }
  return formatters.get(zone);
}

/** {year, month, day, hour, minute, second} of an instant, as read on a clock in `zone`. */
export function wallClock(zone, instant) {
  const parts = {};
  for (const part of partsFormatter(zone).formatToParts(instant)) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return parts;
}

const pad = (n) => String(n).padStart(2, "0");

/** "YYYY-MM-DD" of an instant in `zone`. */
export function localDay(zone, instant) {
  const t = wallClock(zone, instant);
  return `${t.year}-${pad(t.month)}-${pad(t.day)}`;
}

/** "HH:MM" of an instant in `zone`. */
export function localTime(zone, instant) {
  const t = wallClock(zone, instant);
  return `${pad(t.hour)}:${pad(t.minute)}`;
}

/** "YYYY-MM-DDTHH:MM", the value of an <input type=datetime-local>, in `zone`. */
export function localInputValue(zone, instant) {
  return `${localDay(zone, instant)}T${localTime(zone, instant)}`;
}

function offsetMs(zone, instantMs) {
  const t = wallClock(zone, new Date(instantMs));
  return Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second) - Math.floor(instantMs / 1000) * 1000;
}

/** The instant a wall-clock "YYYY-MM-DDTHH:MM" in `zone` stands for (the later one in a
 * repeated hour; a skipped hour moves forward by the gap). */
export function instantOf(zone, value) {
  const [day, time] = value.split("T");
  const [year, month, date] = day.split("-").map(Number);
  const [hour, minute] = time.split(":").map(Number);
  const wall = Date.UTC(year, month - 1, date, hour, minute);
  const first = wall - offsetMs(zone, wall);
  return new Date(wall - offsetMs(zone, first));
}

/** Adds `days` to a "YYYY-MM-DD" (calendar arithmetic, no zone involved). */
export function addDays(day, days) {
  const [year, month, date] = day.split("-").map(Number);
  return new Date(Date.UTC(year, month - 1, date + days)).toISOString().slice(0, 10);
}
