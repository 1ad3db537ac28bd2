import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { signBody } from '../../upstream/ioEvents/wire.ts';

interface KeyPair {
  /** Relative to the emulator's origin, as I/O Events names its keys: `/prod/keys/pub-key-<uuid>.pem`. */
  path: string;
  privateKey: KeyObject;
  publicPem: string;
}

/**
 * The two RSA key pairs the emulated I/O Events signs every delivery with. Made once, when a
 * first webhook is registered or a first key is asked for (so an emulator that delivers no
 * event never spends the CPU), and kept for the emulator's life.
 */
export class SigningKeys {
  #pairs: [KeyPair, KeyPair] | undefined;

  get pairs(): [KeyPair, KeyPair] {
    this.#pairs ??= [newPair(), newPair()];
    return this.#pairs;
  }

  /** The PEM (SPKI) public key served at `path`, or undefined when no key lives there. */
  publicKeyAt(path: string): string | undefined {
    return this.pairs.find((p) => p.path === path)?.publicPem;
  }

  /** The signature headers of `body`: both signatures and the paths of both public keys. */
  sign(body: string): { signatures: [string, string]; keyPaths: [string, string] } {
    const [one, two] = this.pairs;
    return {
      signatures: [signBody(body, one.privateKey), signBody(body, two.privateKey)],
      keyPaths: [one.path, two.path],
    };
  }
}

function newPair(): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    path: `/prod/keys/pub-key-${randomUUID()}.pem`,
    privateKey,
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}
