// The dashboard: sign-ins over time by result, failures in the last day, fraud reports awaiting review, and how
// far enrollment has come (GET /admin/v1/countersign/dashboard).
import { useEffect, useState } from 'react';
import { admin, messageOf } from '../api.ts';
import { ErrorText, useHeadingFocus } from './common.tsx';
import { type DayCounts, SignInChart } from './SignInChart.tsx';

interface DashboardData {
  sign_ins: DayCounts[];
  failures_24h: number;
  fraud_reports_open: number;
  enrollment: { users_total: number; users_enrolled: number };
}

export function Dashboard() {
  const heading = useHeadingFocus();
  const [days, setDays] = useState(14);
  const [data, setData] = useState<DashboardData | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    admin<DashboardData>('GET', '/v1/countersign/dashboard', { days })
      .then(({ response }) => {
        setData(response);
        setError(null);
      })
      .catch((caught) => setError(messageOf(caught)));
  }, [days]);
  const enrolled = data?.enrollment;
  const share =
    enrolled && enrolled.users_total > 0
      ? Math.round((100 * enrolled.users_enrolled) / enrolled.users_total)
      : 0;
  return (
    <>
      <h1 ref={heading} tabIndex={-1}>
        Dashboard
      </h1>
      <ErrorText message={error} />
      {data && (
        <>
          <div className="tiles">
            <section className="card tile" aria-labelledby="tile-failures">
              <h2 id="tile-failures">Failed sign-ins, last 24 hours</h2>
              <p className="figure">{data.failures_24h.toLocaleString()}</p>
            </section>
            <section className="card tile" aria-labelledby="tile-fraud">
              <h2 id="tile-fraud">Fraud reports awaiting review</h2>
              <p className="figure">{data.fraud_reports_open.toLocaleString()}</p>
              {data.fraud_reports_open > 0 && <a href="#/logs">Review them in the logs</a>}
            </section>
            <section className="card tile" aria-labelledby="tile-enrollment">
              <h2 id="tile-enrollment">Enrollment</h2>
              <p className="figure">{share}%</p>
              <label htmlFor="enrollment-progress" className="visually-hidden">
                Users enrolled
              </label>
              <progress
                id="enrollment-progress"
                max={enrolled?.users_total || 1}
                value={enrolled?.users_enrolled ?? 0}
              />
              <p className="hint">
                {enrolled?.users_enrolled.toLocaleString()} of {enrolled?.users_total.toLocaleString()} users
                have a sign-in method.
              </p>
            </section>
          </div>
          <section className="card" aria-labelledby="chart-heading">
            <h2 id="chart-heading">Sign-ins</h2>
            <div className="field inline">
              <label htmlFor="chart-days">Days shown</label>
              <select id="chart-days" value={days} onChange={(event) => setDays(Number(event.target.value))}>
                <option value={7}>7</option>
                <option value={14}>14</option>
                <option value={30}>30</option>
                <option value={90}>90</option>
              </select>
            </div>
            <SignInChart days={data.sign_ins} />
          </section>
        </>
      )}
    </>
  );
}
