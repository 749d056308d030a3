/**
 * The replay corpus's file format (tests/replay/histories/*.json), shared by
 * scripts/record-histories.ts (writes) and tests/workflows/replay.test.ts (reads).
 */
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { REPO_ROOT } from '../../scripts/stack';

export const HISTORIES_DIR = path.join(REPO_ROOT, 'tests/replay/histories');

/**
 * History → plain JSON (protobufjs toObject: Longs and bytes as strings, enums
 * by name). Not the SDK's historyToJSON: in this install @temporalio/common and
 * @temporalio/proto hold separate protobufjs copies and its protojson helpers
 * throw "type must be a Type". historyFromPlain() is the exact inverse.
 */
export function historyToPlain(history: temporal.api.history.v1.IHistory): unknown {
  const H = temporal.api.history.v1.History;
  return H.toObject(H.fromObject(history), { longs: String, enums: String, bytes: String });
}
export function historyFromPlain(json: unknown): temporal.api.history.v1.History {
  return temporal.api.history.v1.History.fromObject(json as Record<string, unknown>);
}
