import { pathToFileURL } from 'node:url';
import type { Config } from '../config/config.ts';
import { KeyError } from './errors.ts';
import { loadOrCreateMasterKey } from './master-key-file.ts';

/**
 * Whatever holds the key-encryption key: the master key file, or a KMS/HSM reached through a module
 * (`GAPURA_KEY_PROVIDER=module:/path/to/provider.js`). The keyring gives it only small secrets to wrap
 * (data keys, signing keys) and asks it once at start for the secrets derived from it; the key itself
 * never has to leave the provider. Calls are async because a KMS is a network call away.
 */
export interface KeyProvider {
  /** A stable name of the provider (`file`, `acme-kms`), for operators; never secret. */
  readonly id: string;
  /** How messages name its key, without an article: `master key`, `HSM key`. */
  readonly keyName: string;
  /** The setting that selects its key, for messages that ask the operator to check it. */
  readonly keySetting: string;
  /** A key made for trying things out: production mode refuses to start with it. */
  readonly isDemo: boolean;
  /**
   * Encrypts a small secret so that only this key can recover it; `context` must be bound to the
   * result (associated data), so that what was wrapped for one row never opens for another.
   */
  wrap(plaintext: Buffer, context: string): Promise<Buffer>;
  /**
   * Recovers what {@link wrap} wrapped with the same context. Resolves to undefined when this key
   * did not wrap it (another key, another context, damaged bytes); rejects only when the provider
   * cannot answer (unreachable, refused), so that a wrong key and an outage read differently.
   */
  unwrap(wrapped: Buffer, context: string): Promise<Buffer | undefined>;
  /**
   * A secret of at least 32 bytes for one named purpose (CSRF tokens, hashed API tokens), the
   * same on every call and every node for the same key and purpose: a KMS computes an HMAC.
   */
  deriveSecret(purpose: string): Promise<Buffer>;
}

/** The name a provider module exports its factory under. */
export const FACTORY_NAME = 'createKeyProvider';

const TEXT_MEMBERS = ['id', 'keyName', 'keySetting'] as const;
const METHOD_MEMBERS = ['wrap', 'unwrap', 'deriveSecret'] as const;

/** The members a value lacks to be a {@link KeyProvider} (a module is plain JavaScript to us). */
function missingMembers(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return ['everything: it is not an object'];
  const member = (name: string): unknown => Reflect.get(value, name);
  return [
    ...TEXT_MEMBERS.filter((name) => {
      const v = member(name);
      return typeof v !== 'string' || v === '';
    }),
    ...(typeof member('isDemo') === 'boolean' ? [] : ['isDemo']),
    ...METHOD_MEMBERS.filter((name) => typeof member(name) !== 'function'),
  ];
}

function isKeyProvider(value: unknown): value is KeyProvider {
  return missingMembers(value).length === 0;
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Imports a provider module and calls its factory with the environment the configuration came from. */
async function loadModuleProvider(
  modulePath: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<KeyProvider> {
  let loaded: unknown;
  try {
    loaded = await import(pathToFileURL(modulePath).href);
  } catch (err) {
    throw new KeyError(`key provider module ${modulePath} cannot be imported: ${reason(err)}`, {
      cause: err,
    });
  }
  const factory: unknown =
    typeof loaded === 'object' && loaded !== null ? Reflect.get(loaded, FACTORY_NAME) : undefined;
  if (typeof factory !== 'function') {
    throw new KeyError(
      `key provider module ${modulePath} does not export a function ${FACTORY_NAME}(env) returning a key provider`,
    );
  }
  let provider: unknown;
  try {
    // A factory may be async: a KMS client often needs a handshake before its first call.
    provider = await factory(env);
  } catch (err) {
    throw new KeyError(`${FACTORY_NAME} of ${modulePath} failed: ${reason(err)}`, { cause: err });
  }
  if (!isKeyProvider(provider)) {
    throw new KeyError(
      `${FACTORY_NAME} of ${modulePath} returned no key provider; missing or wrong: ${missingMembers(provider).join(', ')}`,
    );
  }
  return provider;
}

/**
 * The provider the configuration selects. The file provider generates the master key file in demo
 * mode when it does not exist yet (mode 0600), as Gapura always has; production mode never does.
 */
export async function loadKeyProvider(
  config: Pick<Config, 'keyProvider' | 'masterKeyFile' | 'mode'>,
): Promise<KeyProvider> {
  const setting = config.keyProvider;
  if (setting.kind === 'module') return loadModuleProvider(setting.path, setting.env);
  return loadOrCreateMasterKey(config.masterKeyFile, config.mode === 'demo');
}
