// Step forms described as data: each names its route and the body fields it
// fills, and the field keys are checked against that route's request body
// from the OpenAPI document (BodyOf), so a renamed field is a type error.
import { api, call, type BodyOf, type paths } from './api/client';

export type FieldType = 'text' | 'textarea' | 'lines' | 'date' | 'datetime' | 'approval' | 'select' | 'multiselect' | 'unit' | 'units' | 'official' | 'officials' | 'number' | 'scores' | 'texts';

export interface Field<K extends string = string> {
  key: K;
  label: string;
  type: FieldType;
  required?: boolean;
  default?: unknown;
  /** select/multiselect: the choices; scores/texts: one number/text input per option, sent as { [value]: number | string }. */
  options?: Array<{ value: string | boolean; label: string }>;
  /** unit/units: which kinds of unit to offer. */
  unitKinds?: string[];
  /** official/officials: whose people to offer — a unit id, or the key of the form's unit field. */
  unit?: string;
  unitFrom?: string;
  min?: number;
  max?: number;
  /** lines: one item per line, sent as [{ [lineKey]: line }]. */
  lineKey?: string;
  hint?: string;
  /** The body's value made from the input's (a structured field filled by a simple input). */
  toBody?: (value: unknown) => unknown;
}

type PostPath = { [P in keyof paths]: paths[P] extends { post: unknown } ? P : never }[keyof paths];
/** The keys of a body, of every variant when it is a union (e.g. a pilot won or an experience). */
type KeysOf<B> = B extends unknown ? keyof B & string : never;

export interface StepSpec {
  path: string;
  params: Record<string, string>;
  label: string;
  submitLabel?: string;
  fields: Field[];
}

/** A step form for `path`; its fields must be keys of the route's body. */
export function step<P extends PostPath>(spec: { path: P; params: Record<string, string>; label: string; submitLabel?: string; fields: Array<Field<KeysOf<BodyOf<P>>>> }): StepSpec {
  return spec;
}

/** A textarea's lines as rows of cells ("名称，数值" or "名称｜说明"), blank lines left out. */
export const rowsOf = (text: unknown, separator: RegExp = /[，,|｜]/) =>
  String(text ?? '')
    .split('\n')
    .map((l) => l.split(separator).map((c) => c.trim()))
    .filter((r) => r[0]);

/** Posts a step with its Idempotency-Key; the answer's data, or the API's refusal. */
export function submitStep(spec: StepSpec, body: Record<string, unknown>, key: string): Promise<unknown> {
  // The body's keys were checked where the spec was written (step()); the call itself is generic over paths.
  const post = api.POST as unknown as (path: string, init: object) => Promise<{ data?: unknown; error?: unknown; response: Response }>;
  return call(post(spec.path, { params: { path: spec.params, header: { 'idempotency-key': key } }, body }));
}
