// Sign-ins per day by result as stacked bars, drawn as SVG; the same numbers as a table for screen readers.

export interface DayCounts {
  day: string;
  allow: number;
  deny: number;
  fraud: number;
}

const WIDTH = 640;
const HEIGHT = 220;
const LEFT = 44;
const BOTTOM = 28;
const SERIES = [
  ['allow', 'Allowed'],
  ['deny', 'Denied'],
  ['fraud', 'Reported as fraud'],
] as const;

/** A round number at or above `max` for the axis's top. */
function niceTop(max: number): number {
  if (max <= 5) return 5;
  const power = 10 ** Math.floor(Math.log10(max));
  return Math.ceil(max / power) * power;
}

export function SignInChart({ days }: { days: DayCounts[] }) {
  const top = niceTop(Math.max(0, ...days.map((d) => d.allow + d.deny + d.fraud)));
  const plotHeight = HEIGHT - BOTTOM - 8;
  const slot = (WIDTH - LEFT) / Math.max(1, days.length);
  const bar = Math.max(2, slot * 0.7);
  const y = (value: number) => (value / top) * plotHeight;
  const total = (key: (typeof SERIES)[number][0]) => days.reduce((sum, d) => sum + d[key], 0);
  return (
    <figure className="chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-labelledby="chart-title chart-desc"
        preserveAspectRatio="xMidYMid meet"
      >
        <title id="chart-title">Sign-ins per day by result</title>
        <desc id="chart-desc">
          {`${days.length} days: ${total('allow')} allowed, ${total('deny')} denied, ${total('fraud')} reported as fraud.`}
        </desc>
        {[0, 0.5, 1].map((share) => (
          <g key={share}>
            <line
              className="chart-grid"
              x1={LEFT}
              x2={WIDTH}
              y1={8 + plotHeight - y(top * share)}
              y2={8 + plotHeight - y(top * share)}
            />
            <text className="chart-label" x={LEFT - 6} y={12 + plotHeight - y(top * share)} textAnchor="end">
              {Math.round(top * share)}
            </text>
          </g>
        ))}
        {days.map((d, index) => {
          let base = 8 + plotHeight;
          const x = LEFT + index * slot + (slot - bar) / 2;
          return (
            <g key={d.day}>
              {SERIES.map(([key]) => {
                const h = y(d[key]);
                base -= h;
                return h > 0 ? (
                  <rect key={key} className={`bar-${key}`} x={x} y={base} width={bar} height={h} />
                ) : null;
              })}
              {(index % Math.ceil(days.length / 7) === 0 || index === days.length - 1) && (
                <text className="chart-label" x={x + bar / 2} y={HEIGHT - 8} textAnchor="middle">
                  {d.day.slice(5)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption>
        <ul className="legend">
          {SERIES.map(([key, label]) => (
            <li key={key}>
              <span className={`swatch bar-${key}`} aria-hidden="true" /> {label}
            </li>
          ))}
        </ul>
      </figcaption>
      <details>
        <summary>Show the numbers as a table</summary>
        <table className="data">
          <caption className="visually-hidden">Sign-ins per day by result</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              {SERIES.map(([key, label]) => (
                <th scope="col" key={key}>
                  {label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {days.map((d) => (
              <tr key={d.day}>
                <th scope="row">{d.day}</th>
                <td>{d.allow}</td>
                <td>{d.deny}</td>
                <td>{d.fraud}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
