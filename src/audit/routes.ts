import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PUBLIC } from '../identity/policy.ts';
import type { RouteDeps } from '../web/server.ts';
import {
  ConsistencyProofJson,
  ConsistencyQuery,
  HeadListJson,
  HeadsQuery,
  headToJson,
  InclusionProofJson,
  InclusionQuery,
  KeyListJson,
  keyToJson,
  LeafPageJson,
  LeavesQuery,
  MAX_PAGE,
  SignedTreeHeadJson,
  SizeParams,
} from './schemas.ts';
import {
  consistencyProof,
  getHeadAt,
  getLatestHead,
  inclusionProof,
  leafPage,
  listHeads,
  listKeys,
} from './service.ts';

const tags = ['audit'];
const base64 = (hashes: readonly Buffer[]) => hashes.map((h) => h.toString('base64'));

/** The public face of the transparency log: signed tree heads, proofs, leaves and keys. */
export const auditRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { ctx }) => {
  app.get(
    '/api/v1/audit/sth',
    {
      config: { policy: PUBLIC },
      schema: { tags, summary: 'The latest signed tree head', response: { 200: SignedTreeHeadJson } },
    },
    async () => headToJson(await getLatestHead(ctx)),
  );

  app.get(
    '/api/v1/audit/sth/:size',
    {
      config: { policy: PUBLIC },
      schema: {
        tags,
        summary: 'The signed tree head of exactly this tree size',
        params: SizeParams,
        response: { 200: SignedTreeHeadJson },
      },
    },
    async (request) => headToJson(await getHeadAt(ctx, request.params.size)),
  );

  app.get(
    '/api/v1/audit/heads',
    {
      config: { policy: PUBLIC },
      schema: {
        tags,
        summary: 'Every signed tree head from a size on, smallest first (a page at a time)',
        querystring: HeadsQuery,
        response: { 200: HeadListJson },
      },
    },
    async (request) => {
      const heads = await listHeads(ctx, request.query.start ?? 0, request.query.limit ?? MAX_PAGE);
      return { heads: heads.map(headToJson) };
    },
  );

  app.get(
    '/api/v1/audit/proof/inclusion',
    {
      config: { policy: PUBLIC },
      schema: {
        tags,
        summary: 'Inclusion proof of a leaf in the tree of a given size',
        querystring: InclusionQuery,
        response: { 200: InclusionProofJson },
      },
    },
    async (request) => {
      const { leaf_index, tree_size } = request.query;
      return { leaf_index, tree_size, audit_path: base64(await inclusionProof(ctx, leaf_index, tree_size)) };
    },
  );

  app.get(
    '/api/v1/audit/proof/consistency',
    {
      config: { policy: PUBLIC },
      schema: {
        tags,
        summary: 'Consistency proof between two tree sizes',
        querystring: ConsistencyQuery,
        response: { 200: ConsistencyProofJson },
      },
    },
    async (request) => {
      const { first, second } = request.query;
      return { first, second, consistency: base64(await consistencyProof(ctx, first, second)) };
    },
  );

  app.get(
    '/api/v1/audit/leaves',
    {
      config: { policy: PUBLIC },
      schema: {
        tags,
        summary: `Sequenced leaves with start <= index < end, at most ${MAX_PAGE}`,
        querystring: LeavesQuery,
        response: { 200: LeafPageJson },
      },
    },
    async (request) => {
      const leaves = await leafPage(ctx, request.query.start, request.query.end);
      return {
        entries: leaves.map((l) => ({ leaf_index: l.seq, leaf_input: l.content.toString('base64') })),
      };
    },
  );

  app.get(
    '/api/v1/audit/keys',
    {
      config: { policy: PUBLIC },
      schema: {
        tags,
        summary: 'Public keys that sign tree heads, with their validity (retired keys stay listed)',
        response: { 200: KeyListJson },
      },
    },
    async () => ({ keys: (await listKeys(ctx)).map(keyToJson) }),
  );
};
