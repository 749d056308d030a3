// Payload encryption (AES-256-GCM, node:crypto) for everything duban hands to
// Temporal: workflow inputs and results, activity arguments and results,
// update/signal/query arguments, failure details. Temporal's history then holds
// no official's name, e-mail or document text in the clear; whoever reads it
// needs the key (the worker, the API's client, scripts, the admin timeline, the
// Web UI through the API's codec endpoint, api/codec.ts).
//
// Keys come from configuration, DUBAN_PAYLOAD_KEYS="id1:base64key,id2:base64key":
// the first encrypts, all decrypt. Each payload names its key id in its
// metadata, so a key can be rotated by putting a new one first and keeping the
// old one until no open workflow history needs it.
//
// Hardening, because whoever reaches Temporal's port can write histories:
// - once keys are set, a payload that is not encrypted is refused (a forged
//   update with a made-up actor cannot be sent in the clear);
// - the GCM tag is exactly 16 bytes (Node would accept a truncated one) and a
//   sealed payload shorter than IV + tag is refused before decryption;
// - the workflow id is associated data. SDK 1.24 passes the codec a
//   SerializationContext (experimental in the SDK) naming the workflow whose
//   payload it is — for workflow inputs, results, updates, signals, queries and
//   the activities a workflow schedules. The id is sealed with the payload and
//   written beside it; a decoder that has a context refuses a payload sealed for
//   another workflow, so ciphertext copied from one history into another
//   workflow's update is refused. Decoders without a context (the admin
//   timeline, the Web UI's codec endpoint, resolutions after a cache eviction)
//   use the id the payload names, which its tag still protects.
//   One place where the SDK's context is not the workflow's own id: a Schedule
//   seals its action's arguments for the schedule's base workflow id, while the
//   workflows it starts get "<base>-<time>". duban's schedule passes no arguments
//   and no memo (worker/schedules.ts); a schedule that did would be refused.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { DataConverter, Payload, PayloadCodec, SerializationContext } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
export const WORKFLOW_ID_METADATA = 'encryption-workflow-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Associated data is versioned so the sealing can change without ambiguity. */
const AAD_VERSION = 'duban-payload-v1';

export type PayloadKeys = Map<string, Buffer>;

/** Parses "id1:base64key,id2:base64key" (each key 32 bytes); the first id encrypts. */
export function parsePayloadKeys(spec: string): { keys: PayloadKeys; current: string } {
  const keys: PayloadKeys = new Map();
  let current: string | undefined;
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const i = part.indexOf(':');
    if (i <= 0) throw new Error('DUBAN_PAYLOAD_KEYS: expected "id:base64key[,id:base64key…]"');
    const id = part.slice(0, i);
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(id)) throw new Error(`DUBAN_PAYLOAD_KEYS: key id "${id}" may hold only letters, digits, ".", "-" and "_"`);
    const key = Buffer.from(part.slice(i + 1), 'base64');
    if (key.length !== 32) throw new Error(`DUBAN_PAYLOAD_KEYS: key "${id}" is ${key.length} bytes, AES-256 needs 32`);
    if (keys.has(id)) throw new Error(`DUBAN_PAYLOAD_KEYS: key id "${id}" appears twice`);
    keys.set(id, key);
    current ??= id;
  }
  if (!current) throw new Error('DUBAN_PAYLOAD_KEYS is empty');
  return { keys, current };
}

/** A fresh "id:base64key" entry for DUBAN_PAYLOAD_KEYS. */
export function newPayloadKey(id = `k${new Date().toISOString().slice(0, 10).replace(/-/g, '')}`): string {
  return `${id}:${randomBytes(32).toString('base64')}`;
}

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

const associatedData = (keyId: string, workflowId: string | undefined) => Buffer.from(`${AAD_VERSION}\n${keyId}\n${workflowId ?? ''}`, 'utf8');

export class AesGcmPayloadCodec implements PayloadCodec {
  constructor(
    private readonly keys: PayloadKeys,
    private readonly current: string,
  ) {}

  async encode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    const key = this.keys.get(this.current)!;
    const workflowId = context?.workflowId;
    return payloads.map((p) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(associatedData(this.current, workflowId));
      // The whole payload (metadata included: its encoding tells JSON from binary) is sealed.
      const plain = temporal.api.common.v1.Payload.encode(p).finish();
      const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: { encoding: enc(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: enc(this.current), ...(workflowId ? { [WORKFLOW_ID_METADATA]: enc(workflowId) } : {}) },
        data: sealed,
      };
    });
  }

  /** Workers and clients: every payload must be encrypted, for the workflow the SDK names (if it names one). */
  async decode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    return payloads.map((p) => this.open(p, context?.workflowId));
  }

  /**
   * The Web UI's codec endpoint: payloads that were never encrypted (search
   * attributes, a schedule's own memo) are shown as they are; encrypted ones
   * must open. No context: the UI names no workflow.
   */
  async decodeForDisplay(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => (isEncrypted(p) ? this.open(p, undefined) : p));
  }

  private open(p: Payload, expectedWorkflowId: string | undefined): Payload {
    if (!isEncrypted(p)) throw new Error('unencrypted payload refused: DUBAN_PAYLOAD_KEYS is set, so every payload must be encrypted (was it sent by a client without the key?)');
    const id = p.metadata?.[KEY_ID_METADATA] ? dec(p.metadata[KEY_ID_METADATA]) : '';
    const key = this.keys.get(id);
    if (!key) throw new Error(`payload encrypted with key "${id}", which DUBAN_PAYLOAD_KEYS does not hold`);
    const workflowId = p.metadata?.[WORKFLOW_ID_METADATA] ? dec(p.metadata[WORKFLOW_ID_METADATA]) : undefined;
    if (expectedWorkflowId !== undefined && workflowId !== expectedWorkflowId) {
      throw new Error(`payload sealed for workflow "${workflowId ?? '(none)'}" refused in workflow "${expectedWorkflowId}"`);
    }
    const data = Buffer.from(p.data ?? new Uint8Array());
    if (data.length < IV_BYTES + TAG_BYTES) throw new Error(`encrypted payload of ${data.length} bytes refused: shorter than IV and tag`);
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData(id, workflowId));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    const plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
    return temporal.api.common.v1.Payload.decode(plain);
  }
}

const isEncrypted = (p: Payload) => !!p.metadata?.encoding && dec(p.metadata.encoding) === ENCRYPTED_ENCODING;

/** The codec of DUBAN_PAYLOAD_KEYS, or undefined when no keys are set. */
export function payloadCodec(spec: string | undefined = process.env.DUBAN_PAYLOAD_KEYS): AesGcmPayloadCodec | undefined {
  if (!spec) return undefined;
  const { keys, current } = parsePayloadKeys(spec);
  return new AesGcmPayloadCodec(keys, current);
}

/**
 * The data converter shared by the worker, the API's client, scripts and
 * tests' clients: the default JSON payloads, sealed by the codec. Without keys
 * (only when DUBAN_PAYLOAD_KEYS is unset) payloads stay in the clear.
 */
export function payloadDataConverter(spec: string | undefined = process.env.DUBAN_PAYLOAD_KEYS): DataConverter | undefined {
  const codec = payloadCodec(spec);
  return codec ? { payloadCodecs: [codec] } : undefined;
}
