import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { pageContext, SESSION_COOKIE, sendHtml, sessionCookieOptions } from '../web/http.ts';
import { t } from '../web/i18n/index.ts';
import { type FormField, FormPage } from '../web/pages/form-page.tsx';
import { renderRefusal } from '../web/refusal.ts';
import { NoContent } from '../web/schemas.ts';
import type { RouteDeps } from '../web/server.ts';
import { PUBLIC } from './policy.ts';
import { register, requestRecovery, resetPassword, verifyContact } from './registration.ts';
import { openSession } from './service.ts';

const Contact = Type.String({
  minLength: 1,
  maxLength: 254,
  description: 'E-mail address or Indonesian mobile number',
});
const Code = Type.String({ minLength: 1, maxLength: 10 });
const Accepted = Type.Object({ status: Type.Literal('code_sent') });
const Csrf = Type.String({ maxLength: 200 });

/** Citizens register with e-mail or a mobile number, activate with a code, and recover their password. */
export const registrationRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (
  app,
  { ctx, csrfSecret, isDemo, cookieSettings },
) => {
  const cookie = sessionCookieOptions(cookieSettings);

  app.post(
    '/api/v1/auth/register',
    {
      config: { policy: PUBLIC },
      schema: {
        tags: ['auth'],
        summary:
          'Register a citizen account; a code goes to the e-mail address or phone (same answer whether or not it exists)',
        body: Type.Object({
          contact: Contact,
          name: Type.String({ maxLength: 200 }),
          password: Type.String({ maxLength: 200 }),
          nik: Type.Optional(Type.String({ maxLength: 40 })),
        }),
        response: { 202: Accepted },
      },
    },
    async (request, reply) => {
      await register(ctx, { ...request.body, lang: request.lang }, request.ip);
      return reply.status(202).send({ status: 'code_sent' as const });
    },
  );

  app.post(
    '/api/v1/auth/verify',
    {
      config: { policy: PUBLIC },
      schema: {
        tags: ['auth'],
        summary:
          'Activate an account with the code sent at registration; signs the citizen in (session cookie)',
        response: { 204: NoContent },
        body: Type.Object({ contact: Contact, code: Code }),
      },
    },
    async (request, reply) => {
      const userId = await verifyContact(ctx, request.body.contact, request.body.code, request.ip);
      reply.setCookie(SESSION_COOKIE, await openSession(ctx, userId, 'active'), cookie);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/auth/recover',
    {
      config: { policy: PUBLIC },
      schema: {
        tags: ['auth'],
        summary: 'Ask for a password recovery code (same answer whether or not the account exists)',
        body: Type.Object({ contact: Contact }),
        response: { 202: Accepted },
      },
    },
    async (request, reply) => {
      await requestRecovery(ctx, request.body.contact, request.lang, request.ip);
      return reply.status(202).send({ status: 'code_sent' as const });
    },
  );

  app.post(
    '/api/v1/auth/recover/confirm',
    {
      config: { policy: PUBLIC },
      schema: {
        tags: ['auth'],
        summary: 'Set a new password with a recovery code; signs the account out everywhere',
        response: { 204: NoContent },
        body: Type.Object({ contact: Contact, code: Code, password: Type.String({ maxLength: 200 }) }),
      },
    },
    async (request, reply) => {
      await resetPassword(ctx, request.body.contact, request.body.code, request.body.password, request.ip);
      return reply.status(204).send(null);
    },
  );

  // Pages ---------------------------------------------------------------------------------------

  const page = (request: FastifyRequest) => pageContext(request, csrfSecret, isDemo);

  const registerForm = (
    request: FastifyRequest,
    values: Record<string, string> = {},
    errors: Record<string, string> = {},
    formError?: string,
  ) => {
    const lang = request.lang;
    const field = (f: FormField): FormField => ({ ...f, value: values[f.name] ?? '', error: errors[f.name] });
    const fields: FormField[] = [
      field({
        name: 'contact',
        label: t(lang, 'signin.contact'),
        autocomplete: 'username',
        hint: t(lang, 'register.contact_hint'),
      }),
      field({ name: 'name', label: t(lang, 'register.name'), autocomplete: 'name' }),
      field({
        name: 'password',
        label: t(lang, 'register.password'),
        type: 'password',
        autocomplete: 'new-password',
      }),
      field({
        name: 'nik',
        label: t(lang, 'register.nik'),
        inputmode: 'numeric',
        hint: t(lang, 'register.nik_hint'),
      }),
    ];
    return (
      <FormPage
        page={page(request)}
        title={t(lang, 'register.title')}
        lead={t(lang, 'register.lead')}
        action="/register"
        submit={t(lang, 'register.submit')}
        fields={fields}
        formError={formError}
        links={[{ href: '/signin', text: t(lang, 'nav.signin') }]}
      />
    );
  };

  app.get('/register', { config: { policy: PUBLIC }, schema: { hide: true } }, async (request, reply) =>
    sendHtml(reply, registerForm(request)),
  );

  app.post(
    '/register',
    {
      config: { policy: PUBLIC },
      schema: {
        hide: true,
        body: Type.Object({
          contact: Type.String({ maxLength: 254 }),
          name: Type.String({ maxLength: 200 }),
          password: Type.String({ maxLength: 200 }),
          nik: Type.Optional(Type.String({ maxLength: 40 })),
          _csrf: Csrf,
        }),
      },
    },
    async (request, reply) => {
      const { contact, name, nik } = request.body;
      try {
        await register(
          ctx,
          { contact, name, password: request.body.password, nik, lang: request.lang },
          request.ip,
        );
        return reply.redirect(`/register/verify?contact=${encodeURIComponent(contact)}`, 303);
      } catch (err) {
        return renderRefusal(request, reply, err, (errors, formError) =>
          registerForm(request, { contact, name, nik: nik ?? '' }, errors, formError),
        );
      }
    },
  );

  const codeForm = (
    request: FastifyRequest,
    kind: 'verify' | 'recover',
    contact: string,
    errors: Record<string, string> = {},
    formError?: string,
  ) => {
    const lang = request.lang;
    const fields: FormField[] = [
      {
        name: 'contact',
        label: t(lang, 'signin.contact'),
        autocomplete: 'username',
        value: contact,
        error: errors.contact,
      },
      {
        name: 'code',
        label: t(lang, 'verify.code'),
        inputmode: 'numeric',
        autocomplete: 'one-time-code',
        short: true,
        error: errors.code,
      },
    ];
    if (kind === 'recover') {
      fields.push({
        name: 'password',
        label: t(lang, 'recover.new_password'),
        type: 'password',
        autocomplete: 'new-password',
        error: errors.password,
      });
    }
    return (
      <FormPage
        page={page(request)}
        title={t(lang, kind === 'verify' ? 'verify.title' : 'recover.confirm_title')}
        lead={t(lang, kind === 'verify' ? 'verify.lead' : 'recover.confirm_lead')}
        action={kind === 'verify' ? '/register/verify' : '/recover/confirm'}
        submit={t(lang, kind === 'verify' ? 'verify.submit' : 'recover.confirm_submit')}
        fields={fields}
        formError={formError}
      />
    );
  };

  const ContactQuery = Type.Object({ contact: Type.Optional(Type.String({ maxLength: 254 })) });

  app.get(
    '/register/verify',
    { config: { policy: PUBLIC }, schema: { hide: true, querystring: ContactQuery } },
    async (request, reply) => sendHtml(reply, codeForm(request, 'verify', request.query.contact ?? '')),
  );

  app.post(
    '/register/verify',
    {
      config: { policy: PUBLIC },
      schema: {
        hide: true,
        body: Type.Object({
          contact: Type.String({ maxLength: 254 }),
          code: Type.String({ maxLength: 10 }),
          _csrf: Csrf,
        }),
      },
    },
    async (request, reply) => {
      try {
        const userId = await verifyContact(ctx, request.body.contact, request.body.code, request.ip);
        reply.setCookie(SESSION_COOKIE, await openSession(ctx, userId, 'active'), cookie);
        return reply.redirect('/account', 303);
      } catch (err) {
        return renderRefusal(request, reply, err, (errors, formError) =>
          codeForm(request, 'verify', request.body.contact, errors, formError),
        );
      }
    },
  );

  const recoverForm = (request: FastifyRequest, contact = '', formError?: string) => (
    <FormPage
      page={page(request)}
      title={t(request.lang, 'recover.title')}
      lead={t(request.lang, 'recover.lead')}
      action="/recover"
      submit={t(request.lang, 'recover.submit')}
      fields={[
        {
          name: 'contact',
          label: t(request.lang, 'signin.contact'),
          autocomplete: 'username',
          value: contact,
        },
      ]}
      formError={formError}
    />
  );

  app.get('/recover', { config: { policy: PUBLIC }, schema: { hide: true } }, async (request, reply) =>
    sendHtml(reply, recoverForm(request)),
  );

  app.post(
    '/recover',
    {
      config: { policy: PUBLIC },
      schema: { hide: true, body: Type.Object({ contact: Type.String({ maxLength: 254 }), _csrf: Csrf }) },
    },
    async (request, reply) => {
      try {
        await requestRecovery(ctx, request.body.contact, request.lang, request.ip);
        return reply.redirect(`/recover/confirm?contact=${encodeURIComponent(request.body.contact)}`, 303);
      } catch (err) {
        return renderRefusal(request, reply, err, (_errors, formError) =>
          recoverForm(request, request.body.contact, formError),
        );
      }
    },
  );

  app.get(
    '/recover/confirm',
    { config: { policy: PUBLIC }, schema: { hide: true, querystring: ContactQuery } },
    async (request, reply) => sendHtml(reply, codeForm(request, 'recover', request.query.contact ?? '')),
  );

  app.post(
    '/recover/confirm',
    {
      config: { policy: PUBLIC },
      schema: {
        hide: true,
        body: Type.Object({
          contact: Type.String({ maxLength: 254 }),
          code: Type.String({ maxLength: 10 }),
          password: Type.String({ maxLength: 200 }),
          _csrf: Csrf,
        }),
      },
    },
    async (request, reply) => {
      try {
        await resetPassword(ctx, request.body.contact, request.body.code, request.body.password, request.ip);
        return reply.redirect('/signin?reset=1', 303);
      } catch (err) {
        return renderRefusal(request, reply, err, (errors, formError) =>
          codeForm(request, 'recover', request.body.contact, errors, formError),
        );
      }
    },
  );
};
