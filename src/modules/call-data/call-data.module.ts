import type { Api } from '../../http/types.js';
import type { Closer } from '../../infra/closer.js';
import type { ServiceDeps } from '../../infra/deps.js';
import { registerCallDataRoutes } from './call-data.routes.js';
import { CallDataService } from './call-data.service.js';
import { registerLiveRoutes } from './live.routes.js';
import { LiveService } from './live.service.js';
import { registerRecordingRoutes } from './recordings.routes.js';
import { RecordingsService } from './recordings.service.js';
import { registerReportRoutes } from './reports.routes.js';
import { ReportsService } from './reports.service.js';
import { registerScheduleRoutes } from './schedules.routes.js';
import { ReportSchedulesService } from './schedules.service.js';
import { registerSupervisorRoutes } from './supervisor.routes.js';
import { SupervisorService } from './supervisor.service.js';

/** Retention runs hourly on every node; pruning twice is harmless. */
const PRUNE_INTERVAL_MS = 3600_000;
/** Due report schedules are looked for twice a minute on every node (each run is claimed by one). */
const SCHEDULE_SWEEP_MS = 30_000;

/** Call data: ingestion, retention, reports, dashboards and live statistics (issue 14). */
export function registerCallData(app: Api, deps: ServiceDeps): Closer {
  const calls = new CallDataService(deps);
  registerCallDataRoutes(app, calls);
  const reports = new ReportsService(deps);
  registerReportRoutes(app, reports);
  const schedules = new ReportSchedulesService(deps, reports);
  registerScheduleRoutes(app, schedules);
  registerRecordingRoutes(app, new RecordingsService(deps));
  registerSupervisorRoutes(app, new SupervisorService(deps));
  const live = new LiveService(deps);
  registerLiveRoutes(app, deps.db, live);
  live.start();
  const timer = setInterval(() => {
    calls.prune().catch((err: unknown) => deps.log.error({ err }, 'call data retention failed'));
  }, PRUNE_INTERVAL_MS);
  timer.unref();
  let sweeping = false;
  const sweep = setInterval(() => {
    if (sweeping) return;
    sweeping = true;
    schedules
      .sendDue()
      .catch((err: unknown) => deps.log.error({ err }, 'report schedules failed'))
      .finally(() => (sweeping = false));
  }, SCHEDULE_SWEEP_MS);
  sweep.unref();
  return () => {
    clearInterval(timer);
    clearInterval(sweep);
    live.close();
  };
}
