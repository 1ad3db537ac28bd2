/**
 * Adobe I/O Events webhook rules shared by the receiver and the emulator: header names, event
 * codes, the form of a public key path, and the signature (RSA-SHA256 over the raw body, base64).
 */
import { createSign, createVerify, type KeyObject } from 'node:crypto';
import type { RunEventCode } from './types.ts';

export const RUN_EVENT_CODES: readonly RunEventCode[] = ['sources_flow_run_success', 'sources_flow_run_failure'];
/** `providerMetadata` of Platform notifications. */
export const PLATFORM_NOTIFICATIONS_PROVIDER = 'platform_notifications';

/** The query parameter of the registration handshake: the webhook answers with its value. */
export const CHALLENGE_PARAM = 'challenge';

export const IO_EVENTS_HEADERS = {
  signature1: 'x-adobe-digital-signature-1',
  signature2: 'x-adobe-digital-signature-2',
  keyPath1: 'x-adobe-public-key1-path',
  keyPath2: 'x-adobe-public-key2-path',
  eventCode: 'x-adobe-event-code',
  eventId: 'x-adobe-event-id',
  /** Sent on retries: how many times the delivery was attempted before. */
  retryCount: 'x-adobe-retry-count',
} as const;

/** Where I/O Events serves its public keys (a path relative to the key origin). */
export const DEFAULT_KEY_ORIGIN = 'https://static.adobeioevents.com';
/** The form of a public key path: `/prod/keys/pub-key-<name>.pem`, nothing that can leave the origin. */
export const PUBLIC_KEY_PATH = /^\/[a-z0-9-]{1,32}\/keys\/pub-key-[A-Za-z0-9-]{1,64}\.pem$/;

const ALGORITHM = 'RSA-SHA256';

/** The base64 signature of the raw body, as I/O Events computes it. */
export function signBody(body: Buffer | string, privateKey: KeyObject): string {
  return createSign(ALGORITHM).update(body).sign(privateKey, 'base64');
}

/** Whether `signature` (base64) is `publicKey`'s signature of exactly these bytes. */
export function verifyBody(body: Buffer, signature: string, publicKey: KeyObject): boolean {
  return createVerify(ALGORITHM).update(body).verify(publicKey, signature, 'base64');
}
