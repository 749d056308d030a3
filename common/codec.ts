// Payload encryption (AES-256-GCM, node:crypto) for everything duban hands to
// Temporal: workflow inputs and results, activity arguments and results,
// update/signal/query arguments, failure details. Temporal's history then holds
// no official's name, e-mail or document text in the clear; whoever reads it
// needs the key (the worker, the API's client, scripts, the admin timeline).
//
// Keys come from configuration, DUBAN_PAYLOAD_KEYS="id1:base64key,id2:base64key":
// the first encrypts, all decrypt. Each payload names its key id in its
// metadata, so a key can be rotated by putting a new one first and keeping the
// old one until no open workflow history needs it.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { DataConverter, Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export type PayloadKeys = Map<string, Buffer>;

/** Parses "id1:base64key,id2:base64key" (each key 32 bytes); the first id encrypts. */
export function parsePayloadKeys(spec: string): { keys: PayloadKeys; current: string } {
  const keys: PayloadKeys = new Map();
  let current: string | undefined;
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const i = part.indexOf(':');
    if (i <= 0) throw new Error('DUBAN_PAYLOAD_KEYS: expected "id:base64key[,id:base64key…]"');
    const id = part.slice(0, i);
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

export class AesGcmPayloadCodec implements PayloadCodec {
  constructor(
    private readonly keys: PayloadKeys,
    private readonly current: string,
  ) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const key = this.keys.get(this.current)!;
    return payloads.map((p) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      // The whole payload (metadata included: its encoding tells JSON from binary) is sealed.
      const plain = temporal.api.common.v1.Payload.encode(p).finish();
      const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return { metadata: { encoding: enc(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: enc(this.current) }, data: sealed };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => {
      // Payloads written before encryption was switched on pass through unchanged.
      if (!p.metadata?.encoding || dec(p.metadata.encoding) !== ENCRYPTED_ENCODING) return p;
      const id = p.metadata[KEY_ID_METADATA] ? dec(p.metadata[KEY_ID_METADATA]) : '';
      const key = this.keys.get(id);
      if (!key) throw new Error(`payload encrypted with key "${id}", which DUBAN_PAYLOAD_KEYS does not hold`);
      const data = Buffer.from(p.data ?? new Uint8Array());
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      const plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      return temporal.api.common.v1.Payload.decode(plain) as Payload;
    });
  }
}

/**
 * The data converter shared by the worker, the API's client, scripts and
 * tests' clients: the default JSON payloads, sealed by the codec. Without keys
 * (only when DUBAN_PAYLOAD_KEYS is unset) payloads stay in the clear.
 */
export function payloadDataConverter(spec: string | undefined = process.env.DUBAN_PAYLOAD_KEYS): DataConverter | undefined {
  if (!spec) return undefined;
  const { keys, current } = parsePayloadKeys(spec);
  return { payloadCodecs: [new AesGcmPayloadCodec(keys, current)] };
}
