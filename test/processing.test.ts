import { describe, expect, it } from 'vitest';
import { checkEscalations } from '../src/applications/escalation.ts';
import {
  type ActionInput,
  assignApplication,
  availableActions,
  claimApplication,
  markIdentityVerified,
  saveRevision,
  takeAction,
} from '../src/applications/processing.ts';
import { definitionOf, findRow, startApplication, submitApplication } from '../src/applications/service.ts';
import type { ServiceDefinition, WorkflowAction } from '../src/catalog/schemas.ts';
import { seedDemo } from '../src/demo/seed.ts';
import { documentsOfApplication, verifyDocumentId } from '../src/documents/service.ts';
import type { Principal } from '../src/identity/roles.ts';
import { findUserIdByEmail } from '../src/identity/service.ts';
import { activeGrants } from '../src/identity/store.ts';
import { DomainError, FieldErrors } from '../src/web/domain-error.ts';
import { aktaKelahiranAnswers } from './fixtures/catalog-definitions.ts';
import { ENGINES, onEngine, useTestContext } from './helpers/engines.ts';

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof DomainError) return err.code;
    throw err;
  }
  return 'no error';
}

/** A small deterministic PRNG, so a failing sequence can be replayed. */
function prng(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s % n;
  };
}

const DOMAIN = 'sukamaju.example';

describe.each(ENGINES)('processing applications (officer side)', (engine) => {
  const test = useTestContext(engine);
  const ctx = () => test.opened.ctx;
  const people: Record<string, Principal> = {};

  const principalOf = async (email: string, kind: 'citizen' | 'staff'): Promise<Principal> => {
    const userId = await findUserIdByEmail(ctx(), email);
    if (!userId) throw new Error(`no demo account ${email}`);
    return { userId, kind, sessionId: null, grants: await activeGrants(ctx().db, userId) };
  };

  const submitted = async (citizen = people.citizen!): Promise<string> => {
    const { id } = await startApplication(ctx(), citizen, 'akta-kelahiran', aktaKelahiranAnswers());
    await submitApplication(ctx(), citizen, id, { consent: true, lang: 'id' });
    return id;
  };

  const row = async (id: string) => {
    const found = await findRow(ctx().db, id);
    if (!found) throw new Error('no row');
    return found;
  };

  /** Checks that the history is one path through the workflow from its start state. */
  const expectValidPath = async (id: string, definition: ServiceDefinition) => {
    const events = await ctx()
      .db.selectFrom('application_events')
      .selectAll()
      .where('application_id', '=', id)
      .where('kind', 'in', ['submitted', 'action'])
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    expect(events[0]?.kind).toBe('submitted');
    expect(events[0]?.to_state).toBe(definition.workflow.startState);
    let current = definition.workflow.startState;
    for (const e of events.slice(1)) {
      const action = definition.workflow.actions.find((a) => a.key === e.action);
      expect(action, `action ${e.action}`).toBeDefined();
      expect(e.from_state).toBe(current);
      expect([action!.from].flat()).toContain(current);
      expect(e.to_state).toBe(action!.to);
      current = e.to_state!;
    }
    expect((await row(id)).state).toBe(current);
    return events.length - 1;
  };

  const inputFor = (action: WorkflowAction, rowVersion: number): ActionInput => ({
    action: action.key,
    rowVersion,
    lang: 'id',
    comment: action.requiresComment ? `Catatan untuk ${action.key}` : undefined,
    flaggedFields: action.kind === 'return_for_revision' ? ['pelapor_nama'] : undefined,
    attachmentId: action.requiresDocument ? '0190f5a2-3c4d-7e8f-9a0b-1c2d3e4f5a6b' : undefined,
  });

  it(
    onEngine(engine, '50 concurrent actions on one version: exactly one wins, the history is one path'),
    async () => {
      await seedDemo(ctx());
      people.citizen = await principalOf(`budi.santoso@warga.${DOMAIN}`, 'citizen');
      people.other = await principalOf(`ani.suryani@warga.${DOMAIN}`, 'citizen');
      for (const role of ['loket', 'verifikator', 'penandatangan', 'atasan', 'admin'])
        people[role] = await principalOf(`${role}.disdukcapil@${DOMAIN}`, 'staff');
      people.dinsos = await principalOf(`verifikator.dinsos@${DOMAIN}`, 'staff');

      const id = await submitted();
      const before = await row(id);
      const { definition } = await definitionOf(ctx().db, before.service_version_id);
      const actors = [people.verifikator!, people.penandatangan!, people.atasan!, people.citizen!];
      const contenders = actors.flatMap((actor) =>
        availableActions(definition, before.state, actor, before).map((action) => ({ actor, action })),
      );
      // verifikasi, kembalikan (verifier, approver), tolak (three roles), batalkan (applicant).
      expect(new Set(contenders.map((c) => c.action.key))).toEqual(
        new Set(['verifikasi', 'kembalikan', 'tolak', 'batalkan']),
      );
      const results = await Promise.allSettled(
        Array.from({ length: 50 }, (_, i) => {
          const { actor, action } = contenders[i % contenders.length]!;
          return takeAction(ctx(), actor, id, inputFor(action, before.row_version));
        }),
      );
      const won = results.filter((r) => r.status === 'fulfilled');
      const codes = results.flatMap((r) =>
        r.status === 'rejected' ? [r.reason instanceof DomainError ? r.reason.code : String(r.reason)] : [],
      );
      expect(won).toHaveLength(1);
      expect(codes).toEqual(Array(49).fill('application.changed'));
      const after = await row(id);
      expect(after.row_version).toBe(before.row_version + 1);
      expect(await expectValidPath(id, definition)).toBe(1);
      const leaves = await ctx().db.selectFrom('audit_leaves').select('content').execute();
      const actions = leaves
        .map(
          (l) => JSON.parse(l.content.toString('utf8')) as { type: string; subject: string; facts: object },
        )
        .filter((l) => l.type === 'application.action' && l.subject === id);
      expect(actions).toHaveLength(1);
      expect(Object.keys(actions[0]!.facts).sort()).toEqual(['action', 'from', 'to']);
    },
  );

  it(
    onEngine(engine, 'rounds of concurrent actions with fresh versions end in a terminal state'),
    async () => {
      const pick = prng(20260317);
      const actors = [
        people.loket!,
        people.verifikator!,
        people.penandatangan!,
        people.atasan!,
        people.citizen!,
      ];
      for (let n = 0; n < 4; n++) {
        const id = await submitted();
        const { definition } = await definitionOf(ctx().db, (await row(id)).service_version_id);
        if (n % 2 === 0) await markIdentityVerified(ctx(), people.loket!, id);
        let steps = 0;
        for (let round = 0; round < 40; round++) {
          const current = await row(id);
          if (current.stage === 'closed') break;
          const choices = actors.flatMap((actor) =>
            availableActions(definition, current.state, actor, current)
              .filter((a) => a.kind !== 'approve' || current.identity_verified_at !== null)
              // Late rounds prefer actions that close the application, so every run ends.
              .filter(
                (a) => round < 20 || a.kind === 'reject' || a.kind === 'withdraw' || a.kind === 'approve',
              )
              .map((action) => ({ actor, action })),
          );
          expect(choices.length).toBeGreaterThan(0);
          const picks = Array.from({ length: 3 }, () => choices[pick(choices.length)]!);
          const results = await Promise.allSettled(
            picks.map((c) => takeAction(ctx(), c.actor, id, inputFor(c.action, current.row_version))),
          );
          expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
          steps += 1;
          expect((await row(id)).row_version).toBe(current.row_version + 1);
        }
        const final = await row(id);
        expect(final.stage).toBe('closed');
        expect(final.outcome).not.toBeNull();
        expect(final.closed_at).not.toBeNull();
        expect(definition.workflow.states.find((s) => s.key === final.state)?.terminal).toBe(final.outcome);
        expect(await expectValidPath(id, definition)).toBe(steps);
        // Closed is closed.
        expect(
          await codeOf(
            takeAction(ctx(), people.penandatangan!, id, {
              action: 'setujui',
              rowVersion: final.row_version,
              lang: 'id',
            }),
          ),
        ).toBe('application.closed');
      }
    },
  );

  it(
    onEngine(engine, 'roles, agencies and required inputs are enforced, and nothing is written on refusal'),
    async () => {
      const id = await submitted();
      const v = (await row(id)).row_version;
      const act = (actor: Principal, input: Partial<ActionInput> & { action: string }) =>
        codeOf(takeAction(ctx(), actor, id, { rowVersion: v, lang: 'id', ...input }));
      expect(await act(people.penandatangan!, { action: 'verifikasi' })).toBe('auth.forbidden');
      expect(await act(people.citizen!, { action: 'verifikasi' })).toBe('auth.forbidden');
      expect(await act(people.loket!, { action: 'tolak', comment: 'x' })).toBe('auth.forbidden');
      // Staff of another agency and other citizens learn nothing: the application does not exist for them.
      expect(await act(people.dinsos!, { action: 'verifikasi' })).toBe('not_found');
      expect(await act(people.other!, { action: 'batalkan' })).toBe('not_found');
      expect(await act(people.admin!, { action: 'verifikasi' })).toBe('not_found');
      expect(await act(people.verifikator!, { action: 'setujui' })).toBe('application.action_unavailable');
      expect(await act(people.verifikator!, { action: 'tidak_ada' })).toBe('application.action_unavailable');
      expect(await act(people.verifikator!, { action: 'verifikasi', rowVersion: v - 1 })).toBe(
        'application.changed',
      );

      const missing = takeAction(ctx(), people.verifikator!, id, {
        action: 'tolak',
        rowVersion: v,
        lang: 'en',
        comment: '  ',
      });
      await expect(missing).rejects.toBeInstanceOf(FieldErrors);
      const problems = await missing.catch((err: FieldErrors) => err.problems);
      expect(problems).toEqual([expect.objectContaining({ field: 'comment', code: 'required' })]);
      const unflagged = await takeAction(ctx(), people.verifikator!, id, {
        action: 'kembalikan',
        rowVersion: v,
        lang: 'id',
        comment: 'Perbaiki',
      }).catch((err: FieldErrors) => err.problems);
      expect(unflagged).toEqual([expect.objectContaining({ field: 'flaggedFields', code: 'required' })]);
      const unknown = await takeAction(ctx(), people.verifikator!, id, {
        action: 'kembalikan',
        rowVersion: v,
        lang: 'id',
        comment: 'Perbaiki',
        flaggedFields: ['bukan_isian'],
      }).catch((err: FieldErrors) => err.problems);
      expect(unknown).toEqual([expect.objectContaining({ field: 'flaggedFields', code: 'unknown' })]);

      const after = await row(id);
      expect(after.row_version).toBe(v);
      expect(after.state).toBe('diajukan');
      const events = await ctx()
        .db.selectFrom('application_events')
        .select('kind')
        .where('application_id', '=', id)
        .execute();
      expect(events.map((e) => e.kind).sort()).toEqual(['created', 'submitted']);
    },
  );

  it(
    onEngine(engine, 'approval waits for the counter identity check, then runs the approval hook'),
    async () => {
      const id = await submitted();
      let v = (await row(id)).row_version;
      v = (
        await takeAction(ctx(), people.verifikator!, id, { action: 'verifikasi', rowVersion: v, lang: 'id' })
      ).rowVersion;
      expect(
        await codeOf(
          takeAction(ctx(), people.penandatangan!, id, { action: 'setujui', rowVersion: v, lang: 'id' }),
        ),
      ).toBe('application.identity_unverified');
      expect(await codeOf(markIdentityVerified(ctx(), people.penandatangan!, id))).toBe('auth.forbidden');
      const verified = await markIdentityVerified(ctx(), people.loket!, id);
      expect(verified.rowVersion).toBe(v + 1);
      expect((await markIdentityVerified(ctx(), people.verifikator!, id)).verifiedAt).toBe(
        verified.verifiedAt,
      );
      const done = await takeAction(ctx(), people.penandatangan!, id, {
        action: 'setujui',
        rowVersion: verified.rowVersion,
        lang: 'id',
      });
      expect(done).toMatchObject({ state: 'disetujui', stage: 'closed', outcome: 'approved' });
      // The approval issued the output document, in the same transaction, verifiable at once.
      const documents = await documentsOfApplication(ctx(), id);
      expect(documents).toHaveLength(1);
      const verification = await verifyDocumentId(ctx(), documents[0]!.id);
      expect(verification.status).toBe('valid');
      expect(verification.document?.fields.slice(0, 3)).toEqual([
        { label: { id: expect.any(String), en: expect.any(String) }, value: 'Siti Aminah' },
        { label: expect.anything(), value: 'Perempuan' },
        { label: expect.anything(), value: '1 Juni 2025' },
      ]);
      const notes = await ctx()
        .db.selectFrom('notifications')
        .select('template')
        .where('user_id', '=', people.citizen!.userId)
        .where('template', '=', 'application.state_changed')
        .execute();
      expect(notes.length).toBeGreaterThanOrEqual(2);
    },
  );

  it(
    onEngine(engine, 'a revision round: flagged fields only, the clock paused, then resubmitted'),
    async () => {
      const id = await submitted();
      const returnedNotes = () =>
        ctx()
          .db.selectFrom('notifications')
          .select('template')
          .where('user_id', '=', people.citizen!.userId)
          .where('template', '=', 'application.returned')
          .where('channel', '=', 'in_app')
          .execute();
      const notesBefore = (await returnedNotes()).length;
      const v = (await row(id)).row_version;
      const returned = await takeAction(ctx(), people.verifikator!, id, {
        action: 'kembalikan',
        rowVersion: v,
        lang: 'id',
        comment: 'Nama pelapor tidak sesuai KTP',
        flaggedFields: ['pelapor_nama'],
      });
      expect(returned.state).toBe('perlu_perbaikan');
      const paused = await row(id);
      expect(paused.sla_paused).toBe(1);
      expect(paused.state_due_at).toBeNull();
      const event = await ctx()
        .db.selectFrom('application_events')
        .selectAll()
        .where('application_id', '=', id)
        .where('action', '=', 'kembalikan')
        .executeTakeFirstOrThrow();
      expect(JSON.parse(event.flagged_fields ?? '[]')).toEqual(['pelapor_nama']);
      expect(event.comment_enc).not.toContain('KTP');
      expect(await returnedNotes()).toHaveLength(notesBefore + 1);

      // Officers cannot act while it waits for the applicant; only flagged fields may change.
      expect(
        await codeOf(
          takeAction(ctx(), people.verifikator!, id, {
            action: 'verifikasi',
            rowVersion: returned.rowVersion,
            lang: 'id',
          }),
        ),
      ).toBe('application.action_unavailable');
      const outside = await saveRevision(ctx(), people.citizen!, id, { pelapor_hp: '0812-0000-0000' }).catch(
        (err: FieldErrors) => err.problems,
      );
      expect(outside).toEqual([expect.objectContaining({ field: 'pelapor_hp', code: 'not_flagged' })]);
      expect(await codeOf(saveRevision(ctx(), people.citizen!, id, { pelapor_nama: '' }))).toBe(
        'application.invalid',
      );
      expect(await codeOf(saveRevision(ctx(), people.other!, id, { pelapor_nama: 'X' }))).toBe('not_found');
      const saved = await saveRevision(ctx(), people.citizen!, id, { pelapor_nama: 'Budi Santoso Wibowo' });
      expect(saved.rowVersion).toBe(returned.rowVersion + 1);

      const resubmitted = await takeAction(ctx(), people.citizen!, id, {
        action: 'ajukan_ulang',
        rowVersion: saved.rowVersion,
        lang: 'id',
      });
      expect(resubmitted.state).toBe('diajukan');
      const running = await row(id);
      expect(running.sla_paused).toBe(0);
      expect(running.state_due_at).not.toBeNull();
      expect(running.due_at! >= paused.due_at!).toBe(true);
      expect(await codeOf(saveRevision(ctx(), people.citizen!, id, { pelapor_nama: 'Lagi' }))).toBe(
        'application.not_editable',
      );
    },
  );

  it(onEngine(engine, 'claims: one holder at a time; a supervisor reassigns'), async () => {
    const id = await submitted();
    expect(await claimApplication(ctx(), people.verifikator!, id)).toEqual({
      assignedTo: people.verifikator!.userId,
    });
    expect(await claimApplication(ctx(), people.verifikator!, id)).toEqual({
      assignedTo: people.verifikator!.userId,
    });
    expect(await codeOf(claimApplication(ctx(), people.penandatangan!, id))).toBe('application.claimed');
    expect(await codeOf(claimApplication(ctx(), people.dinsos!, id))).toBe('not_found');
    expect(
      await codeOf(assignApplication(ctx(), people.verifikator!, id, people.penandatangan!.userId)),
    ).toBe('auth.forbidden');
    await expect(assignApplication(ctx(), people.atasan!, id, people.dinsos!.userId)).rejects.toBeInstanceOf(
      FieldErrors,
    );
    expect(await assignApplication(ctx(), people.atasan!, id, people.penandatangan!.userId)).toEqual({
      assignedTo: people.penandatangan!.userId,
    });
    expect((await row(id)).assigned_to).toBe(people.penandatangan!.userId);
  });

  it(
    onEngine(engine, 'escalations reach the supervisors once per application, deadline and level'),
    async () => {
      const id = await submitted();
      const supervisorNotes = async () =>
        (
          await ctx()
            .db.selectFrom('notifications')
            .select('id')
            .where('user_id', '=', people.atasan!.userId)
            .where('template', '=', 'application.escalated')
            .execute()
        ).length;
      const before = await supervisorNotes();
      // Far in the future every active application of the agency is overdue.
      const later = new Date(Date.now() + 90 * 86_400_000);
      const first = await checkEscalations(ctx(), later);
      expect(first.escalated).toBeGreaterThan(0);
      const marks = await ctx()
        .db.selectFrom('application_escalations')
        .selectAll()
        .where('application_id', '=', id)
        .execute();
      expect(marks.map((m) => `${m.deadline_kind}:${m.level}`).sort()).toEqual([
        'overall:overdue',
        'state:overdue',
      ]);
      expect(await supervisorNotes()).toBe(before + first.escalated);
      const [again, parallel] = await Promise.all([
        checkEscalations(ctx(), later),
        checkEscalations(ctx(), later),
      ]);
      expect(again.escalated + parallel.escalated).toBe(0);
      expect(await supervisorNotes()).toBe(before + first.escalated);
      // Paused and closed applications are not escalated.
      const v = (await row(id)).row_version;
      await takeAction(ctx(), people.verifikator!, id, {
        action: 'tolak',
        rowVersion: v,
        lang: 'id',
        comment: 'Tidak lengkap',
      });
      const afterClose = await checkEscalations(ctx(), new Date(later.getTime() + 30 * 86_400_000));
      const marksAfter = await ctx()
        .db.selectFrom('application_escalations')
        .selectAll()
        .where('application_id', '=', id)
        .execute();
      expect(marksAfter).toHaveLength(2);
      expect(afterClose.escalated).toBeGreaterThanOrEqual(0);
    },
  );
});
