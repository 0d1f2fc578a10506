// Small formatting helpers shared by the view models: times in UTC with a relative age, JSON for <pre>.

/** A moment as every page shows it: UTC text, ISO for <time datetime>, and an age relative to now. */
export interface TimeView {
  utc: string;
  iso: string;
  age: string;
}

export function utc(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
}

export function relativeAge(ms: number, now: number): string {
  const seconds = Math.round((now - ms) / 1000);
  const magnitude = Math.abs(seconds);
  const [value, unit] =
    magnitude < 5
      ? [0, 'now']
      : magnitude < 90
        ? [magnitude, 's']
        : magnitude < 90 * 60
          ? [Math.round(magnitude / 60), 'min']
          : magnitude < 36 * 3600
            ? [Math.round(magnitude / 3600), 'h']
            : [Math.round(magnitude / 86_400), 'd'];
  if (unit === 'now') return 'just now';
  return seconds >= 0 ? `${value} ${unit} ago` : `in ${value} ${unit}`;
}

export function timeView(ms: number, now: number): TimeView {
  return { utc: utc(ms), iso: new Date(ms).toISOString(), age: relativeAge(ms, now) };
}

/** Pretty JSON for display; eta escapes it, so wallet-sent markup stays text. */
export function prettyJson(value: unknown): string {
  return JSON.stringify(value, null, 2) ?? String(value);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
