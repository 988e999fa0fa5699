import { type Static, Type } from '@sinclair/typebox';

/** The archive's entry names: the manifest first, then the dump of one engine. */
export const MANIFEST_ENTRY = 'manifest.json';
export const DUMP_ENTRY = { sqlite: 'database.sqlite', postgres: 'database.pgdump' } as const;

export const FORMAT = 'gapura-backup';
export const FORMAT_VERSION = 1;

const Base64 = Type.String({ pattern: '^[A-Za-z0-9+/]*={0,2}$' });

/** The latest signed tree head of the audit log inside the dump, as it was published. */
export const ManifestHead = Type.Object({
  treeSize: Type.Integer({ minimum: 0 }),
  timestamp: Type.String(),
  rootHash: Base64,
  signature: Base64,
  keyId: Type.String(),
});

/**
 * A key sealed by the key provider, copied from the dump (it is wrapped, so no secret): restore
 * asks the configured provider to open each one before it writes anything.
 */
export const SealedKey = Type.Object({
  table: Type.Union([Type.Literal('data_keys'), Type.Literal('signing_keys')]),
  id: Type.String(),
  sealed: Base64,
});

/**
 * What a backup holds, read from the same snapshot as the dump so that restore can check the
 * result against it. It never holds the master key, nor anything that can unwrap the data keys.
 */
export const Manifest = Type.Object({
  format: Type.Literal(FORMAT),
  formatVersion: Type.Literal(FORMAT_VERSION),
  engine: Type.Union([Type.Literal('sqlite'), Type.Literal('postgres')]),
  createdAt: Type.String(),
  /** Ids from `gapura_migrations`, in order; the last is the schema version. */
  migrations: Type.Array(Type.String()),
  /** Rows per table at the moment of the snapshot. */
  tables: Type.Record(Type.String(), Type.Integer({ minimum: 0 })),
  auditHead: Type.Union([ManifestHead, Type.Null()]),
  sealedKeys: Type.Array(SealedKey),
  dump: Type.Object({
    entry: Type.String(),
    bytes: Type.Integer({ minimum: 1 }),
    sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  }),
});
export type Manifest = Static<typeof Manifest>;
export type ManifestHead = Static<typeof ManifestHead>;
export type SealedKey = Static<typeof SealedKey>;
