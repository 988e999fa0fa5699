import { createPublicKey, verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ENGINES,
  type FreshDatabase,
  freshDatabase,
  onEngine,
  openTestContext,
} from '../../test/helpers/engines.ts';
import type { Opened } from '../app.ts';
import { type App, buildServer } from '../web/server.ts';
import { appendAuditLeaf } from './log.ts';
import { hashLeaf, verifyConsistency, verifyInclusion } from './merkle.ts';
import { sequencePending } from './sequencer.ts';

interface Sth {
  tree_size: number;
  timestamp: string;
  root_hash: string;
  signature: string;
  key_id: string;
}

const HEAD_SIZES = [1, 5, 16, 37];
const b64 = (s: string) => Buffer.from(s, 'base64');

describe.each(ENGINES)('audit log API', (engine) => {
  let fresh: FreshDatabase;
  let opened: Opened;
  let app: App;
  const get = async <T>(url: string) => {
    const response = await app.inject({ method: 'GET', url });
    return { status: response.statusCode, body: response.json<T>() };
  };

  beforeAll(async () => {
    fresh = await freshDatabase(engine);
    opened = await openTestContext(fresh);
    app = await buildServer(opened.ctx);
  });
  afterAll(async () => {
    await app.close();
    await opened.handle.close();
    await fresh.cleanup();
  });

  it(
    onEngine(engine, 'has no signed tree head before the first leaf: 404 in the JSON error shape'),
    async () => {
      const { status, body } = await get<{ error: { code: string } }>('/api/v1/audit/sth');
      expect(status).toBe(404);
      expect(body.error.code).toBe('not_found');
    },
  );

  it(onEngine(engine, 'serves heads whose signature verifies with the published key'), async () => {
    let size = 0;
    for (const target of HEAD_SIZES) {
      for (; size < target; size++) {
        await opened.ctx.db.transaction().execute((trx) =>
          appendAuditLeaf(trx, {
            type: 'test.api',
            actorId: null,
            agencyId: null,
            subjectId: null,
            facts: { n: size },
          }),
        );
      }
      await sequencePending(opened.ctx, { forceHead: true });
    }
    const { body: sth } = await get<Sth>('/api/v1/audit/sth');
    expect(sth.tree_size).toBe(37);
    const { body: keys } = await get<{ keys: { key_id: string; public_key: string; algorithm: string }[] }>(
      '/api/v1/audit/keys',
    );
    const key = keys.keys.find((k) => k.key_id === sth.key_id);
    expect(key?.algorithm).toBe('Ed25519');
    const publicKey = createPublicKey({ key: b64(key?.public_key ?? ''), format: 'der', type: 'spki' });
    const message = `gapura-sth-v1\n${sth.tree_size}\n${sth.timestamp}\n${sth.root_hash}\n`;
    expect(verify(null, Buffer.from(message), publicKey, b64(sth.signature))).toBe(true);
    expect(verify(null, Buffer.from(message.replace('37', '36')), publicKey, b64(sth.signature))).toBe(false);
    const { body: list } = await get<{ heads: Sth[] }>('/api/v1/audit/heads?start=2&limit=2');
    expect(list.heads.map((h) => h.tree_size)).toEqual([5, 16]);
  });

  it(
    onEngine(engine, 'serves inclusion proofs of every leaf that verify against each signed head'),
    async () => {
      const { body: page } = await get<{ entries: { leaf_index: number; leaf_input: string }[] }>(
        '/api/v1/audit/leaves?start=0&end=5000',
      );
      expect(page.entries.map((e) => e.leaf_index)).toEqual(Array.from({ length: 37 }, (_, i) => i));
      for (const size of HEAD_SIZES) {
        const { body: sth } = await get<Sth>(`/api/v1/audit/sth/${size}`);
        for (const entry of page.entries.slice(0, size)) {
          const { body: proof } = await get<{ audit_path: string[] }>(
            `/api/v1/audit/proof/inclusion?leaf_index=${entry.leaf_index}&tree_size=${size}`,
          );
          const leafHash = hashLeaf(b64(entry.leaf_input));
          const path = proof.audit_path.map(b64);
          expect(verifyInclusion(leafHash, entry.leaf_index, size, path, b64(sth.root_hash))).toBe(true);
        }
      }
    },
  );

  it(onEngine(engine, 'serves consistency proofs between every two signed heads'), async () => {
    const heads = await Promise.all(
      HEAD_SIZES.map(async (s) => (await get<Sth>(`/api/v1/audit/sth/${s}`)).body),
    );
    for (const a of heads) {
      for (const b of heads.filter((h) => h.tree_size >= a.tree_size)) {
        const { body } = await get<{ consistency: string[] }>(
          `/api/v1/audit/proof/consistency?first=${a.tree_size}&second=${b.tree_size}`,
        );
        const proof = body.consistency.map(b64);
        expect(verifyConsistency(a.tree_size, b.tree_size, b64(a.root_hash), b64(b.root_hash), proof)).toBe(
          true,
        );
      }
    }
  });

  it(onEngine(engine, 'pages leaves within [start, end)'), async () => {
    const { body } = await get<{ entries: { leaf_index: number }[] }>('/api/v1/audit/leaves?start=10&end=12');
    expect(body.entries.map((e) => e.leaf_index)).toEqual([10, 11]);
  });

  it(
    onEngine(engine, 'answers bad input with 400 (404 for an unsigned size) in the JSON error shape'),
    async () => {
      const cases: [string, number][] = [
        ['/api/v1/audit/proof/inclusion?leaf_index=5&tree_size=5', 400],
        ['/api/v1/audit/proof/inclusion?leaf_index=0&tree_size=38', 400],
        ['/api/v1/audit/proof/inclusion?leaf_index=-1&tree_size=5', 400],
        ['/api/v1/audit/proof/inclusion?leaf_index=x&tree_size=5', 400],
        ['/api/v1/audit/proof/inclusion?tree_size=5', 400],
        ['/api/v1/audit/proof/consistency?first=6&second=5', 400],
        ['/api/v1/audit/proof/consistency?first=1&second=99', 400],
        ['/api/v1/audit/leaves?start=5&end=5', 400],
        ['/api/v1/audit/leaves?start=1e400&end=5', 400],
        ['/api/v1/audit/heads?limit=0', 400],
        ['/api/v1/audit/sth/abc', 400],
        ['/api/v1/audit/sth/36', 404],
      ];
      for (const [url, status] of cases) {
        const response = await app.inject({ method: 'GET', url });
        expect({ url, status: response.statusCode }).toEqual({ url, status });
        expect(response.json()).toMatchObject({
          error: { code: expect.any(String), message: expect.any(String) },
        });
      }
    },
  );

  it(onEngine(engine, 'lists every audit endpoint in the OpenAPI document'), async () => {
    const { body } = await get<{ paths: Record<string, unknown> }>('/api/openapi.json');
    for (const path of [
      '/api/v1/audit/sth',
      '/api/v1/audit/sth/{size}',
      '/api/v1/audit/heads',
      '/api/v1/audit/proof/inclusion',
      '/api/v1/audit/proof/consistency',
      '/api/v1/audit/leaves',
      '/api/v1/audit/keys',
    ]) {
      expect(body.paths).toHaveProperty([path]);
    }
  });
});
