/** Shared types and the cluster mix of the fleet benchmark (bench/fleet.ts and its child processes). */

export type FleetKind = 'healthy' | 'slow' | 'failing';

export interface FleetCluster {
  index: number;
  /** The simulated JobManager's base URL, as Prometheus would send it in ?target=. */
  url: string;
  kind: FleetKind;
}

export interface FleetSimOptions {
  /** Index of the first cluster this process serves, and how many. */
  first: number;
  count: number;
  /** Flink's metrics.fetcher.update-interval in the simulated JobManagers. */
  fetcherIntervalMs: number;
}

/** 85 % healthy, 10 % slow, 5 % failing, interleaved so any contiguous slice has the same mix. */
export function fleetKind(i: number): FleetKind {
  const r = i % 20;
  return r === 7 ? 'failing' : r % 10 === 3 ? 'slow' : 'healthy';
}

/** What the exporter process reports about itself since the last reset. */
export interface FleetExporterUsage {
  wallMs: number;
  cpuMs: number;
  rssBytes: number;
  rssMaxBytes: number;
  heapUsedBytes: number;
  /** perf_hooks.monitorEventLoopDelay (resolution 10 ms), ms. */
  eldMaxMs: number;
  eldP99Ms: number;
}
