/**
 * Parsers for cluster-level endpoints: /config, /overview, /jobmanager/config, /taskmanagers,
 * /taskmanagers/:id. Pure functions from `unknown` JSON to typed values; they throw ShapeError
 * when the promised structure is missing (see shape.ts for the policy).
 */
import type {
  ClusterOverview,
  DashboardConfig,
  JobManagerConfig,
  ResourceProfile,
  TaskManagerHardware,
  TaskManagerInfo,
} from '../types.ts';
import {
  compact,
  expectArray,
  expectObject,
  isObject,
  mapItems,
  numberMap,
  optBool,
  optFinite,
  optObject,
  optString,
  requireInt,
  requireString,
  type Obj,
} from './shape.ts';
import { RESPONSE_LIMITS as LIMITS, withinLimit } from './limits.ts';
import { parseOptionalNonNegative } from './values.ts';

export function parseDashboardConfig(json: unknown): DashboardConfig {
  const o = expectObject(json, '$');
  const f = optObject(o, 'features');
  return compact<DashboardConfig>({
    flinkVersion: requireString(o, 'flink-version', '$'),
    flinkRevision: optString(o, 'flink-revision'),
    refreshIntervalMs: optFinite(o, 'refresh-interval'),
    timezoneName: optString(o, 'timezone-name'),
    timezoneOffsetMs: optFinite(o, 'timezone-offset'),
    features: f
      ? compact<NonNullable<DashboardConfig['features']>>({
          webSubmit: optBool(f, 'web-submit'),
          webCancel: optBool(f, 'web-cancel'),
          webHistory: optBool(f, 'web-history'),
          webRescale: optBool(f, 'web-rescale'),
        })
      : undefined,
  });
}

export function parseClusterOverview(json: unknown): ClusterOverview {
  const o = expectObject(json, '$');
  return compact<ClusterOverview>({
    taskmanagers: requireInt(o, 'taskmanagers', '$'),
    slotsTotal: requireInt(o, 'slots-total', '$'),
    slotsAvailable: requireInt(o, 'slots-available', '$'),
    jobsRunning: requireInt(o, 'jobs-running', '$'),
    jobsFinished: requireInt(o, 'jobs-finished', '$'),
    jobsCancelled: requireInt(o, 'jobs-cancelled', '$'),
    jobsFailed: requireInt(o, 'jobs-failed', '$'),
    taskmanagersBlocked: optFinite(o, 'taskmanagers-blocked'),
    slotsFreeAndBlocked: optFinite(o, 'slots-free-and-blocked'),
    flinkVersion: optString(o, 'flink-version'),
    flinkCommit: optString(o, 'flink-commit'),
  });
}

/** `[{key, value}]` → Map. An entry without a key is malformed; values are kept verbatim. */
export function parseJobManagerConfig(json: unknown): JobManagerConfig {
  const out = new Map<string, string>();
  mapItems(expectArray(json, '$'), '$', (item, path) => {
    const o = expectObject(item, path);
    out.set(requireString(o, 'key', path), optString(o, 'value') ?? '');
  });
  return out;
}

function resourceProfile(v: unknown): ResourceProfile | undefined {
  if (!isObject(v)) return undefined;
  return compact<ResourceProfile>({
    cpuCores: optFinite(v, 'cpuCores'),
    taskHeapMemoryMb: optFinite(v, 'taskHeapMemory'),
    taskOffHeapMemoryMb: optFinite(v, 'taskOffHeapMemory'),
    managedMemoryMb: optFinite(v, 'managedMemory'),
    networkMemoryMb: optFinite(v, 'networkMemory'),
  });
}

function hardware(v: unknown): TaskManagerHardware | undefined {
  if (!isObject(v)) return undefined;
  return compact<TaskManagerHardware>({
    cpuCores: optFinite(v, 'cpuCores'),
    physicalMemoryBytes: optFinite(v, 'physicalMemory'),
    freeMemoryBytes: optFinite(v, 'freeMemory'),
    managedMemoryBytes: optFinite(v, 'managedMemory'),
  });
}

function taskManagerInfo(o: Obj, path: string): TaskManagerInfo {
  const mem = optObject(o, 'memoryConfiguration');
  return compact<TaskManagerInfo>({
    id: requireString(o, 'id', path),
    path: optString(o, 'path'),
    dataPort: optFinite(o, 'dataPort'),
    jmxPort: parseOptionalNonNegative(o['jmxPort']),
    lastHeartbeatMs: optFinite(o, 'timeSinceLastHeartbeat'),
    slotsNumber: requireInt(o, 'slotsNumber', path),
    freeSlots: optFinite(o, 'freeSlots'),
    totalResource: resourceProfile(o['totalResource']),
    freeResource: resourceProfile(o['freeResource']),
    hardware: hardware(o['hardware']),
    memoryConfiguration: mem ? numberMap(mem, false) : undefined,
    blocked: optBool(o, 'blocked'),
  });
}

export function parseTaskManagers(json: unknown): TaskManagerInfo[] {
  const o = expectObject(json, '$');
  const list = withinLimit(expectArray(o['taskmanagers'], '$.taskmanagers'), '$.taskmanagers', LIMITS.maxTaskManagers, 'TaskManagers');
  return mapItems(list, '$.taskmanagers', (item, path) => taskManagerInfo(expectObject(item, path), path));
}
