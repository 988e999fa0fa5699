import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { staff } from '../identity/policy.ts';
import { DomainError } from '../web/domain-error.ts';
import { pageContext, sendHtml } from '../web/http.ts';
import { MailboxPage } from '../web/pages/mailbox.tsx';
import type { RouteDeps } from '../web/server.ts';
import { listDemoMailbox } from './delivery.ts';

export const notificationRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (
  app,
  { ctx, csrfSecret, isDemo },
) => {
  app.get(
    '/admin/mailbox',
    { config: { policy: staff('platform_admin') }, schema: { hide: true } },
    async (request, reply) => {
      if (!isDemo) throw new DomainError('not_found');
      const messages = await listDemoMailbox(ctx);
      return sendHtml(
        reply,
        <MailboxPage page={pageContext(request, csrfSecret, isDemo)} messages={messages} />,
      );
    },
  );
};
