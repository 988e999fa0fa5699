import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import QRCode from 'qrcode';
import { agencyNames } from '../agencies/service.ts';
import { DomainError } from '../web/domain-error.ts';
import {
  csrfTokenFor,
  PENDING_COOKIE,
  pageContext,
  SESSION_COOKIE,
  safeNext,
  sendHtml,
  sessionCookieOptions,
} from '../web/http.ts';
import { t } from '../web/i18n/index.ts';
import { AccountPage } from '../web/pages/account.tsx';
import { RecoveryCodesPage, SecondFactorPage, SignInPage, withNext } from '../web/pages/signin.tsx';
import { renderRefusal } from '../web/refusal.ts';
import { NoContent } from '../web/schemas.ts';
import type { RouteDeps } from '../web/server.ts';
import { PUBLIC, SIGNED_IN } from './policy.ts';
import {
  completeSecondFactor,
  displayName,
  pendingEnrolment,
  type SignInResult as SignInOutcome,
  sessionIdOf,
  signIn,
  signOut,
  signOutEverywhere,
} from './service.ts';

const Credentials = Type.Object({
  contact: Type.String({
    minLength: 3,
    maxLength: 254,
    description: 'E-mail address or Indonesian mobile number',
  }),
  password: Type.String({ minLength: 1, maxLength: 200 }),
});
const SignInResult = Type.Object({
  stage: Type.Union([Type.Literal('second_factor'), Type.Literal('active')]),
  csrfToken: Type.String({
    description: 'Send as X-CSRF-Token on state-changing requests made with this session',
  }),
});
const Code = Type.Object({ code: Type.String({ minLength: 6, maxLength: 12 }) });
const SecondFactorAnswer = Type.Object({
  stage: Type.Literal('active'),
  csrfToken: Type.String(),
  recoveryCodes: Type.Optional(
    Type.Array(Type.String(), { description: 'Only right after enrolment; shown once' }),
  ),
});

/** What the code page shows while the authenticator is not enrolled: the QR code and the secret. */
async function enrolmentView(
  state: { enrolled: true } | { enrolled: false; otpauthUri: string; secret: string },
) {
  if (state.enrolled) return undefined;
  const svg = await QRCode.toString(state.otpauthUri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  return { qrSvg: svg, secret: state.secret.replace(/(.{4})/g, '$1 ').trim() };
}

const Me = Type.Object({
  id: Type.String(),
  kind: Type.Union([Type.Literal('citizen'), Type.Literal('staff')]),
  name: Type.String(),
  roles: Type.Array(Type.Object({ role: Type.String(), agencyId: Type.Union([Type.String(), Type.Null()]) })),
});

/** Signing in and out, for the JSON API and for people. */
export const identityRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (
  app,
  { ctx, csrfSecret, isDemo, cookieSettings },
) => {
  const cookie = sessionCookieOptions(cookieSettings);

  app.post(
    '/api/v1/auth/signin',
    {
      config: { policy: PUBLIC },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with e-mail and password; staff continue with /api/v1/auth/second-factor',
        body: Credentials,
        response: { 200: SignInResult },
      },
    },
    async (request, reply) => {
      const result = await signIn(ctx, request.body.contact, request.body.password, request.ip);
      setSignInCookie(reply, result);
      return { stage: result.stage, csrfToken: csrfTokenForSession(result.token) };
    },
  );

  app.post(
    '/api/v1/auth/second-factor',
    {
      config: { policy: PUBLIC },
      schema: {
        tags: ['auth'],
        summary:
          'Complete a staff sign-in with the current TOTP code or a recovery code; the first TOTP code completes enrolment and returns eight recovery codes, once',
        body: Code,
        response: { 200: SecondFactorAnswer },
      },
    },
    async (request, reply) => {
      const pending = request.cookies[PENDING_COOKIE];
      if (!pending) throw new DomainError('auth.invalid_second_factor');
      const result = await completeSecondFactor(ctx, pending, request.body.code, request.ip);
      reply.clearCookie(PENDING_COOKIE, { path: '/' });
      reply.setCookie(SESSION_COOKIE, result.token, cookie);
      return {
        stage: 'active' as const,
        csrfToken: csrfTokenForSession(result.token),
        ...(result.recoveryCodes ? { recoveryCodes: result.recoveryCodes } : {}),
      };
    },
  );

  app.get(
    '/api/v1/auth/enrolment',
    {
      config: { policy: PUBLIC },
      schema: {
        tags: ['auth'],
        summary:
          'During a staff sign-in (pending cookie): whether the authenticator is enrolled, and the otpauth URI to scan if not',
        response: {
          200: Type.Object({ enrolled: Type.Boolean(), otpauthUri: Type.Optional(Type.String()) }),
        },
      },
    },
    async (request) => {
      const pending = request.cookies[PENDING_COOKIE];
      const state = pending ? await pendingEnrolment(ctx, pending) : undefined;
      if (!state) throw new DomainError('auth.invalid_second_factor');
      return state.enrolled ? { enrolled: true } : { enrolled: false, otpauthUri: state.otpauthUri };
    },
  );

  app.post(
    '/api/v1/auth/signout',
    {
      config: { policy: SIGNED_IN },
      schema: {
        tags: ['auth'],
        summary: 'End this session',
        security: [{ session: [] }],
        response: { 204: NoContent },
      },
    },
    async (request, reply) => {
      if (request.sessionToken) await signOut(ctx, request.sessionToken);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/me',
    {
      config: { policy: SIGNED_IN },
      schema: {
        tags: ['auth'],
        summary: 'Who is signed in',
        security: [{ session: [] }],
        response: { 200: Me },
      },
    },
    async (request) => {
      const principal = request.principal!;
      return {
        id: principal.userId,
        kind: principal.kind,
        name: (await displayName(ctx, principal.userId)) ?? '',
        roles: principal.grants.map((g) => ({ role: g.role, agencyId: g.agencyId })),
      };
    },
  );

  // Pages -------------------------------------------------------------------------------------

  /** Where to go after signing in: a path on this site only (anything else is dropped). */
  const NextQuery = Type.Object({ next: Type.Optional(Type.String({ maxLength: 500 })) });
  const nextOf = (query: { next?: string }) => {
    const next = safeNext(query.next, '');
    return next === '' ? undefined : next;
  };

  app.get(
    '/signin',
    {
      config: { policy: PUBLIC },
      schema: {
        hide: true,
        querystring: Type.Object({
          next: Type.Optional(Type.String({ maxLength: 500 })),
          reset: Type.Optional(Type.Literal('1')),
        }),
      },
    },
    async (request, reply) => {
      if (request.principal) return reply.redirect(safeNext(request.query.next, '/account'));
      const notice = request.query.reset ? t(request.lang, 'recover.done') : undefined;
      return sendHtml(
        reply,
        <SignInPage
          page={pageContext(request, csrfSecret, isDemo)}
          notice={notice}
          next={nextOf(request.query)}
        />,
      );
    },
  );

  app.post(
    '/signin',
    {
      config: { policy: PUBLIC },
      schema: {
        hide: true,
        querystring: NextQuery,
        body: Type.Object({
          contact: Type.String({ maxLength: 254 }),
          password: Type.String({ maxLength: 200 }),
          _csrf: Type.String(),
        }),
      },
    },
    async (request, reply) => {
      const page = pageContext(request, csrfSecret, isDemo);
      const next = nextOf(request.query);
      try {
        const result = await signIn(ctx, request.body.contact, request.body.password, request.ip);
        setSignInCookie(reply, result);
        return reply.redirect(
          result.stage === 'active' ? safeNext(next, '/account') : withNext('/signin/code', next),
          303,
        );
      } catch (err) {
        return renderRefusal(request, reply, err, (_fields, formError) => (
          <SignInPage page={page} contact={request.body.contact} error={formError} next={next} />
        ));
      }
    },
  );

  app.get(
    '/signin/code',
    { config: { policy: PUBLIC }, schema: { hide: true, querystring: NextQuery } },
    async (request, reply) => {
      const pending = request.cookies[PENDING_COOKIE];
      const state = pending ? await pendingEnrolment(ctx, pending) : undefined;
      if (!state) return reply.redirect('/signin');
      return sendHtml(
        reply,
        <SecondFactorPage
          page={pageContext(request, csrfSecret, isDemo)}
          enrolment={await enrolmentView(state)}
          next={nextOf(request.query)}
        />,
      );
    },
  );

  app.post(
    '/signin/code',
    {
      config: { policy: PUBLIC },
      schema: {
        hide: true,
        querystring: NextQuery,
        body: Type.Object({ code: Type.String({ maxLength: 12 }), _csrf: Type.String() }),
      },
    },
    async (request, reply) => {
      const pending = request.cookies[PENDING_COOKIE];
      const next = nextOf(request.query);
      try {
        if (!pending) throw new DomainError('auth.invalid_second_factor');
        const result = await completeSecondFactor(ctx, pending, request.body.code, request.ip);
        reply.clearCookie(PENDING_COOKIE, { path: '/' });
        reply.setCookie(SESSION_COOKIE, result.token, cookie);
        if (!result.recoveryCodes) return reply.redirect(safeNext(next, '/account'), 303);
        return sendHtml(
          reply,
          <RecoveryCodesPage page={pageContext(request, csrfSecret, isDemo)} codes={result.recoveryCodes} />,
        );
      } catch (err) {
        return renderRefusal(request, reply, err, async (_fields, formError) => {
          const state = pending ? await pendingEnrolment(ctx, pending) : undefined;
          return (
            <SecondFactorPage
              page={pageContext(request, csrfSecret, isDemo)}
              error={formError}
              enrolment={state ? await enrolmentView(state) : undefined}
              next={next}
            />
          );
        });
      }
    },
  );

  app.get('/account', { config: { policy: SIGNED_IN }, schema: { hide: true } }, async (request, reply) => {
    const principal = request.principal!;
    const names = await agencyNames(
      ctx,
      principal.grants.flatMap((g) => (g.agencyId ? [g.agencyId] : [])),
    );
    const grants = principal.grants.map((g) => {
      const name = g.agencyId ? names.get(g.agencyId) : undefined;
      return { ...g, agencyName: name ? name[request.lang] : null };
    });
    const name = (await displayName(ctx, principal.userId)) ?? '';
    return sendHtml(
      reply,
      <AccountPage page={pageContext(request, csrfSecret, isDemo)} name={name} grants={grants} />,
    );
  });

  app.post(
    '/signout',
    {
      config: { policy: SIGNED_IN },
      schema: {
        hide: true,
        body: Type.Object({ _csrf: Type.String() }),
        querystring: Type.Object({ everywhere: Type.Optional(Type.String({ maxLength: 1 })) }),
      },
    },
    async (request, reply) => {
      const principal = request.principal!;
      if (request.query.everywhere === '1') await signOutEverywhere(ctx, principal.userId);
      else if (request.sessionToken) await signOut(ctx, request.sessionToken);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.redirect('/', 303);
    },
  );

  /** An active session goes in the session cookie; a half-finished staff sign-in in its own short-lived one. */
  function setSignInCookie(reply: FastifyReply, result: SignInOutcome): void {
    if (result.stage === 'active') reply.setCookie(SESSION_COOKIE, result.token, cookie);
    else reply.setCookie(PENDING_COOKIE, result.token, { ...cookie, maxAge: 300 });
  }

  /** The CSRF token for a session that was just created (the request itself still has none). */
  function csrfTokenForSession(token: string): string {
    return csrfTokenFor(csrfSecret, sessionIdOf(token));
  }
};
