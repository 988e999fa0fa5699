import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { SIGNED_IN, staff } from '../identity/policy.ts';
import { INBOX_ROLES } from '../identity/roles.ts';
import { DomainError } from '../web/domain-error.ts';
import { pageContext, sendHtml } from '../web/http.ts';
import { t } from '../web/i18n/index.ts';
import { MailboxPage } from '../web/pages/mailbox.tsx';
import type { RouteDeps } from '../web/server.ts';
import { listDemoMailbox } from './delivery.ts';
import { markAllRead, notificationListOf, type Reader } from './in-app.ts';
import { NotificationsPage } from './pages/notifications-page.tsx';

const session = [{ session: [] }];

/** The signed-in reader (the route's policy has already refused everyone else). */
function readerOf(request: FastifyRequest): Reader {
  const principal = request.principal;
  if (!principal) throw new DomainError('auth.not_authenticated');
  const inboxAgencies = principal.grants
    .filter((g) => g.agencyId !== null && (INBOX_ROLES as readonly string[]).includes(g.role))
    .map((g) => g.agencyId as string);
  return { userId: principal.userId, inboxAgencies };
}

const NotificationJson = Type.Object({
  id: Type.String(),
  subject: Type.String(),
  body: Type.String(),
  createdAt: Type.String(),
  isRead: Type.Boolean(),
  application: Type.Union([Type.Object({ trackingNumber: Type.String(), url: Type.String() }), Type.Null()]),
});

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

  // The caller's own in-app notifications: citizens and staff alike, never anyone else's.

  app.get(
    '/api/v1/me/notifications',
    {
      config: { policy: SIGNED_IN },
      schema: {
        tags: ['notifications'],
        summary:
          "The caller's newest in-app notifications (at most 50, newest first), the unread count, and a link to the application each concerns where the caller may open it",
        security: session,
        response: { 200: Type.Object({ items: Type.Array(NotificationJson), unread: Type.Integer() }) },
      },
    },
    async (request) => notificationListOf(ctx, readerOf(request)),
  );

  app.post(
    '/api/v1/me/notifications/read',
    {
      config: { policy: SIGNED_IN },
      schema: {
        tags: ['notifications'],
        summary: "Mark all the caller's in-app notifications read",
        security: session,
        response: { 200: Type.Object({ marked: Type.Integer(), unread: Type.Integer() }) },
      },
    },
    async (request) => ({ marked: await markAllRead(ctx.db, readerOf(request).userId), unread: 0 }),
  );

  app.get(
    '/notifications',
    {
      config: { policy: SIGNED_IN },
      schema: {
        hide: true,
        querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) }),
      },
    },
    async (request, reply) => {
      const list = await notificationListOf(ctx, readerOf(request));
      return sendHtml(
        reply,
        <NotificationsPage
          page={pageContext(request, csrfSecret, isDemo)}
          list={list}
          flash={request.query.done === 'read' ? t(request.lang, 'notifications.marked') : undefined}
        />,
      );
    },
  );

  app.post(
    '/notifications/read',
    {
      config: { policy: SIGNED_IN },
      schema: { hide: true, body: Type.Object({ _csrf: Type.Optional(Type.String({ maxLength: 200 })) }) },
    },
    async (request, reply) => {
      await markAllRead(ctx.db, readerOf(request).userId);
      return reply.redirect('/notifications?done=read', 303);
    },
  );
};
