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
import { registerSupervisorRoutes } from './supervisor.routes.js';
import { SupervisorService } from './supervisor.service.js';

/** Retention runs hourly on every node; pruning twice is harmless. */
const PRUNE_INTERVAL_MS = 3600_000;

/** Call data: ingestion, retention, reports, dashboards and live statistics (issue 14). */
export function registerCallData(app: Api, deps: ServiceDeps): Closer {
  const calls = new CallDataService(deps);
  registerCallDataRoutes(app, calls);
  registerReportRoutes(app, new ReportsService(deps));
  registerRecordingRoutes(app, new RecordingsService(deps));
  registerSupervisorRoutes(app, new SupervisorService(deps));
  const live = new LiveService(deps);
  registerLiveRoutes(app, deps.db, live);
  live.start();
  const timer = setInterval(() => {
    calls.prune().catch((err: unknown) => deps.log.error({ err }, 'call data retention failed'));
  }, PRUNE_INTERVAL_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    live.close();
  };
}
