/**
 * What Gapura's workflow engine (`src/workflow/engine.ts`) costs against a general BPMN engine: the
 * same 4-state approval with one revision loop, run to the end many times by Gapura's engine in
 * memory, by Gapura's engine with every transition persisted to SQLite, and by `bpmn-engine`
 * running the equivalent BPMN 2.0 process in memory — all in the same run, in alternating turns.
 *
 * Both definitions are parsed once, before anything is timed: Gapura's from YAML through the
 * service definitions' checks, the BPMN XML by `bpmn-engine` itself into the serialized context
 * every instance's engine then starts from.
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import { Engine } from 'bpmn-engine';
import type { Kysely } from 'kysely';
import { parseDefinitionText } from '../../src/catalog/files.ts';
import {
  type ActionRole,
  serviceDefinitionJsonSchema,
  Workflow,
  type WorkflowAction,
} from '../../src/catalog/schemas.ts';
import { translateErrors } from '../../src/catalog/structure.ts';
import { workflowProblems } from '../../src/catalog/workflow-checks.ts';
import { openDatabase } from '../../src/db/database.ts';
import { newId, nowIso } from '../../src/db/ids.ts';
import type { Database } from '../../src/db/schema.ts';
import { planMove } from '../../src/workflow/engine.ts';
import { type BenchOptions, type BenchRow, ratioRow, type Scenario } from '../lib.ts';

/**
 * The approval as a service definition writes it: the verifier checks the file and either returns
 * it for revision or verifies it, the applicant resubmits, the approver approves.
 */
const WORKFLOW_YAML = `
startState: diajukan
states:
  - key: diajukan
    label: { id: Pemeriksaan berkas, en: Document check }
    applicantCanEdit: false
    slaRuns: true
    slaDays: 2
  - key: perlu_perbaikan
    label: { id: Perlu perbaikan, en: Returned for revision }
    applicantCanEdit: true
    slaRuns: false
  - key: diverifikasi
    label: { id: Menunggu persetujuan, en: Awaiting approval }
    applicantCanEdit: false
    slaRuns: true
    slaDays: 1
  - key: disetujui
    label: { id: Disetujui, en: Approved }
    applicantCanEdit: false
    slaRuns: false
    terminal: approved
actions:
  - key: kembalikan
    label: { id: Kembalikan untuk perbaikan, en: Return for revision }
    from: diajukan
    to: perlu_perbaikan
    roles: [verifier]
    kind: return_for_revision
  - key: ajukan_ulang
    label: { id: Kirim ulang, en: Resubmit }
    from: perlu_perbaikan
    to: diajukan
    roles: [applicant]
  - key: verifikasi
    label: { id: Verifikasi, en: Verify }
    from: diajukan
    to: diverifikasi
    roles: [verifier]
  - key: setujui
    label: { id: Setujui, en: Approve }
    from: diverifikasi
    to: disetujui
    roles: [approver]
    kind: approve
`;

/** The completion time the per-state SLAs are checked against (2 + 1 days along the longest path). */
const COMPLETION_DAYS = 3;

/**
 * The same approval in BPMN 2.0: a user task where each of Gapura's states waits for someone (ids
 * are Gapura's state keys, the role as the task's potential owner), an exclusive gateway after the
 * check that takes the revision loop when the verifier returned the file, a merging gateway before
 * the check, and the approved end. `bpmn-engine` does not enforce potential owners; Gapura's engine
 * checks the role on every move.
 */
const BPMN_XML = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  id="persetujuan" targetNamespace="https://gapura.id/bench/workflow">
  <process id="permohonan" isExecutable="true">
    <startEvent id="pengajuan" />
    <sequenceFlow id="ke_pemeriksaan" sourceRef="pengajuan" targetRef="masuk_pemeriksaan" />
    <exclusiveGateway id="masuk_pemeriksaan" />
    <sequenceFlow id="periksa" sourceRef="masuk_pemeriksaan" targetRef="diajukan" />
    <userTask id="diajukan" name="Pemeriksaan berkas">
      <potentialOwner><resourceAssignmentExpression>
        <formalExpression>verifier</formalExpression>
      </resourceAssignmentExpression></potentialOwner>
    </userTask>
    <sequenceFlow id="diperiksa" sourceRef="diajukan" targetRef="hasil_pemeriksaan" />
    <exclusiveGateway id="hasil_pemeriksaan" default="verifikasi" />
    <sequenceFlow id="kembalikan" sourceRef="hasil_pemeriksaan" targetRef="perlu_perbaikan">
      <conditionExpression xsi:type="tFormalExpression">\${environment.output.dikembalikan}</conditionExpression>
    </sequenceFlow>
    <sequenceFlow id="verifikasi" sourceRef="hasil_pemeriksaan" targetRef="diverifikasi" />
    <userTask id="perlu_perbaikan" name="Perlu perbaikan">
      <potentialOwner><resourceAssignmentExpression>
        <formalExpression>applicant</formalExpression>
      </resourceAssignmentExpression></potentialOwner>
    </userTask>
    <sequenceFlow id="ajukan_ulang" sourceRef="perlu_perbaikan" targetRef="masuk_pemeriksaan" />
    <userTask id="diverifikasi" name="Menunggu persetujuan">
      <potentialOwner><resourceAssignmentExpression>
        <formalExpression>approver</formalExpression>
      </resourceAssignmentExpression></potentialOwner>
    </userTask>
    <sequenceFlow id="setujui" sourceRef="diverifikasi" targetRef="disetujui" />
    <endEvent id="disetujui" />
  </process>
</definitions>`;

/** Where every instance ends, in both engines. */
const APPROVED = 'disetujui';

/**
 * The path every instance takes after its submission: the move, who takes it, the state it is taken
 * from (in BPMN the user task signalled), and the verifier's decision the BPMN gateway reads.
 */
const PATH: readonly { action: string; role: ActionRole; from: string; returned?: boolean }[] = [
  { action: 'kembalikan', role: 'verifier', from: 'diajukan', returned: true },
  { action: 'ajukan_ulang', role: 'applicant', from: 'perlu_perbaikan' },
  { action: 'verifikasi', role: 'verifier', from: 'diajukan', returned: false },
  { action: 'setujui', role: 'approver', from: 'diverifikasi' },
];
/** Transitions per instance: the submission (entering the start state) and the moves of the path. */
const TRANSITIONS_PER_INSTANCE = 1 + PATH.length;
/** Turns of the three runs: alternating keeps a drift of the machine from favouring one of them. */
const ROUNDS = 3;

/** Gapura's definition: YAML parsed and held to the service definitions' structure and workflow checks. */
function parseGapuraWorkflow(): Workflow {
  const parsed = parseDefinitionText(WORKFLOW_YAML, 'yaml');
  if (!parsed.ok) throw new Error(`the workflow does not parse: ${JSON.stringify(parsed.problems)}`);
  const validate = new Ajv({ allErrors: true, discriminator: true, inlineRefs: false }).compile<Workflow>({
    ...JSON.parse(JSON.stringify(Workflow)),
    $defs: serviceDefinitionJsonSchema().$defs,
  });
  const workflow = parsed.value;
  if (!validate(workflow))
    throw new Error(
      `the workflow does not validate: ${JSON.stringify(translateErrors(validate.errors ?? []))}`,
    );
  const problems = workflowProblems({ standard: { completionDays: COMPLETION_DAYS }, workflow });
  if (problems.length > 0)
    throw new Error(`the workflow does not pass its checks: ${JSON.stringify(problems)}`);
  return workflow;
}

/** One step of the path with the role check Gapura's callers pass to the engine, built once. */
interface GapuraStep {
  action: string;
  role: string;
  mayAct: (action: WorkflowAction) => boolean;
}

function gapuraSteps(): GapuraStep[] {
  return PATH.map(({ action, role }) => ({ action, role, mayAct: (a) => a.roles.includes(role) }));
}

/** A history event as Gapura records one: the move, who took it, when. */
interface HistoryEvent {
  kind: 'submitted' | 'action';
  action: string | null;
  from: string | null;
  to: string;
  role: string;
  at: string;
}

/** An instance as its stored row holds it, with its history. */
interface InstanceRecord {
  state: string;
  outcome: string | null;
  rowVersion: number;
  history: HistoryEvent[];
}

/** The move a step makes from `state` by Gapura's engine; any refusal fails the bench. */
function plan(workflow: Workflow, state: string, step: GapuraStep) {
  const move = planMove(workflow, state, step.action, step.mayAct);
  if (!move.ok) throw new Error(`${step.action} from ${state} refused: ${move.refusal}`);
  return move;
}

/**
 * One instance through Gapura's engine in memory: its state, row version and history held as the
 * stored row and events would be; it must end approved after every transition of the path.
 */
function runGapuraInMemory(workflow: Workflow, steps: readonly GapuraStep[]): void {
  const history: HistoryEvent[] = [
    { kind: 'submitted', action: null, from: null, to: workflow.startState, role: 'applicant', at: nowIso() },
  ];
  const instance: InstanceRecord = { state: workflow.startState, outcome: null, rowVersion: 1, history };
  for (const step of steps) {
    const move = plan(workflow, instance.state, step);
    instance.state = move.to.key;
    instance.outcome = move.to.terminal ?? null;
    instance.rowVersion += 1;
    history.push({
      kind: 'action',
      action: step.action,
      from: move.from,
      to: move.to.key,
      role: step.role,
      at: nowIso(),
    });
  }
  if (instance.outcome !== 'approved' || history.length !== TRANSITIONS_PER_INSTANCE)
    throw new Error(`an in-memory instance ended in ${instance.state} after ${history.length} transitions`);
}

/** The bench's own two tables, shaped like `applications` (the projection) and `application_events`. */
type WorkflowTables = {
  bench_workflow_instances: {
    id: string;
    state: string;
    outcome: string | null;
    row_version: number;
    updated_at: string;
  };
  bench_workflow_events: {
    id: string;
    instance_id: string;
    kind: string;
    action: string | null;
    from_state: string | null;
    to_state: string;
    actor_role: string;
    created_at: string;
  };
};

/** Gapura's database handle with the bench's tables added to its type. */
type WorkflowDb = Kysely<Database & WorkflowTables>;

async function createTables(db: WorkflowDb): Promise<void> {
  await db.schema
    .createTable('bench_workflow_instances')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text')
    .addColumn('row_version', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('bench_workflow_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('instance_id', 'text', (c) => c.notNull().references('bench_workflow_instances.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('action', 'text')
    .addColumn('from_state', 'text')
    .addColumn('to_state', 'text', (c) => c.notNull())
    .addColumn('actor_role', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('bench_workflow_events_instance')
    .on('bench_workflow_events')
    .columns(['instance_id', 'created_at'])
    .execute();
}

/**
 * One instance through Gapura's engine with every transition persisted, one transaction each as
 * `takeAction` commits: the submission inserts the instance row and its `submitted` event; every
 * move updates the row conditionally on its version (state, outcome, version + 1, time) and
 * inserts the move's event.
 */
async function runGapuraPersisted(
  db: WorkflowDb,
  workflow: Workflow,
  steps: readonly GapuraStep[],
): Promise<void> {
  const id = newId();
  let state = workflow.startState;
  let rowVersion = 1;
  const submittedAt = nowIso();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('bench_workflow_instances')
      .values({ id, state, outcome: null, row_version: rowVersion, updated_at: submittedAt })
      .execute();
    await trx
      .insertInto('bench_workflow_events')
      .values({
        id: newId(),
        instance_id: id,
        kind: 'submitted',
        action: null,
        from_state: null,
        to_state: state,
        actor_role: 'applicant',
        created_at: submittedAt,
      })
      .execute();
  });
  for (const step of steps) {
    const move = plan(workflow, state, step);
    const at = nowIso();
    await db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable('bench_workflow_instances')
        .set({
          state: move.to.key,
          outcome: move.to.terminal ?? null,
          row_version: rowVersion + 1,
          updated_at: at,
        })
        .where('id', '=', id)
        .where('row_version', '=', rowVersion)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) throw new Error(`instance ${id} changed under the bench`);
      await trx
        .insertInto('bench_workflow_events')
        .values({
          id: newId(),
          instance_id: id,
          kind: 'action',
          action: step.action,
          from_state: move.from,
          to_state: move.to.key,
          actor_role: step.role,
          created_at: at,
        })
        .execute();
    });
    state = move.to.key;
    rowVersion += 1;
  }
}

/** What the BPMN runs need: the definition parsed once, and a listener shared by every instance. */
interface BpmnRunner {
  sourceContext: Awaited<ReturnType<Engine['getDefinitions']>>[number]['context']['definitionContext'];
  listener: EventEmitter;
  /** Instances that reached the approved end event. */
  approved: number;
}

/** Activity events as the listener sees them (the part of bpmn-engine's element API used here). */
interface ActivityEventApi {
  id: string;
  content: { output?: unknown };
  environment: { output: Record<string, unknown> };
}

/**
 * Parses the BPMN XML once with `bpmn-engine`, keeping the serialized context its definitions run
 * from. The shared listener hands the verifier's decision, sent with the signal, to the gateway
 * (as process data), and counts the instances that reach the approved end.
 */
async function bpmnRunner(): Promise<BpmnRunner> {
  const [definition] = await new Engine({ name: 'parse', source: BPMN_XML }).getDefinitions();
  if (!definition) throw new Error('the BPMN XML has no definition');
  const runner: BpmnRunner = {
    sourceContext: definition.context.definitionContext,
    listener: new EventEmitter(),
    approved: 0,
  };
  runner.listener.on('activity.end', (api: ActivityEventApi) => {
    if (api.id === APPROVED) runner.approved++;
    const output = api.content.output;
    if (typeof output === 'object' && output !== null && 'returned' in output)
      api.environment.output.dikembalikan = output.returned;
  });
  return runner;
}

/**
 * One instance through `bpmn-engine`: started (the submission: the process waits in the check),
 * then each user task on the path signalled in turn, checking it is the one waiting.
 */
async function runBpmn(runner: BpmnRunner): Promise<void> {
  const engine = new Engine({
    name: 'permohonan',
    sourceContext: runner.sourceContext,
    listener: runner.listener,
  });
  const execution = await engine.execute();
  for (const step of PATH) {
    const waiting = execution.getPostponed();
    if (waiting.length !== 1 || waiting[0]?.id !== step.from)
      throw new Error(`bpmn-engine waits in ${waiting.map((a) => a.id).join(', ')} instead of ${step.from}`);
    execution.signal(
      step.returned === undefined ? { id: step.from } : { id: step.from, returned: step.returned },
    );
  }
  if (execution.state !== 'idle' || execution.getPostponed().length > 0)
    throw new Error(`a bpmn-engine instance did not end (${execution.state})`);
}

interface Tally {
  instances: number;
  seconds: number;
}

/**
 * Runs `runBatch` (which runs `perBatch` whole instances) again and again for about `seconds`. In
 * memory an instance takes a microsecond or two, so there a batch is many instances run without
 * awaiting anything, and the clock is read once per batch.
 */
async function runFor(
  tally: Tally,
  seconds: number,
  perBatch: number,
  runBatch: () => Promise<void> | void,
): Promise<void> {
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    await runBatch();
    tally.instances += perBatch;
  }
  tally.seconds += (performance.now() - start) / 1000;
}

function transitionsPerSecond(tally: Tally): number {
  return (tally.instances * TRANSITIONS_PER_INSTANCE) / tally.seconds;
}

async function rowCount(db: WorkflowDb, table: keyof WorkflowTables): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export const workflowScenario: Scenario = {
  name: 'workflow',
  async run(options: BenchOptions): Promise<BenchRow[]> {
    const seconds = options.quick
      ? { bpmn: 0.9, memory: 0.3, persisted: 0.9 }
      : { bpmn: 9, memory: 3, persisted: 9 };
    const workflow = parseGapuraWorkflow();
    const steps = gapuraSteps();
    const runner = await bpmnRunner();
    const dataDir = mkdtempSync(path.join(tmpdir(), 'gapura-bench-workflow-'));
    const handle = openDatabase({ databaseUrl: undefined, dataDir });
    try {
      const db = handle.db.withTables<WorkflowTables>();
      await createTables(db);
      const bpmn: Tally = { instances: 0, seconds: 0 };
      const memory: Tally = { instances: 0, seconds: 0 };
      const persisted: Tally = { instances: 0, seconds: 0 };
      const memoryBatch = 100;
      const inMemory = () => runGapuraInMemory(workflow, steps);
      const inMemoryBatch = () => {
        for (let i = 0; i < memoryBatch; i++) inMemory();
      };
      const toSqlite = () => runGapuraPersisted(db, workflow, steps);
      const warmUp = { bpmn: 30, memory: 20_000, persisted: 300 };
      for (let i = 0; i < warmUp.bpmn; i++) await runBpmn(runner);
      for (let i = 0; i < warmUp.memory; i++) inMemory();
      for (let i = 0; i < warmUp.persisted; i++) await toSqlite();
      for (let round = 0; round < ROUNDS; round++) {
        await runFor(bpmn, seconds.bpmn / ROUNDS, 1, () => runBpmn(runner));
        await runFor(memory, seconds.memory / ROUNDS, memoryBatch, inMemoryBatch);
        await runFor(persisted, seconds.persisted / ROUNDS, 1, toSqlite);
      }

      if (runner.approved !== warmUp.bpmn + bpmn.instances)
        throw new Error(
          `${runner.approved} of ${warmUp.bpmn + bpmn.instances} bpmn-engine instances were approved`,
        );
      const persistedInstances = warmUp.persisted + persisted.instances;
      const events = await rowCount(db, 'bench_workflow_events');
      if (events !== persistedInstances * TRANSITIONS_PER_INSTANCE)
        throw new Error(
          `${events} history events stored for ${persistedInstances * TRANSITIONS_PER_INSTANCE} transitions`,
        );
      const approved = await db
        .selectFrom('bench_workflow_instances')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('state', '=', APPROVED)
        .where('outcome', '=', 'approved')
        .where('row_version', '=', TRANSITIONS_PER_INSTANCE)
        .executeTakeFirstOrThrow();
      if (
        Number(approved.n) !== persistedInstances ||
        (await rowCount(db, 'bench_workflow_instances')) !== persistedInstances
      )
        throw new Error(`${approved.n} of ${persistedInstances} persisted instances ended approved`);

      const baseline = Math.round(transitionsPerSecond(bpmn));
      const route = `submit → ${PATH.map((s) => s.action).join(' → ')}: ${TRANSITIONS_PER_INSTANCE} transitions an instance`;
      return [
        ratioRow(
          {
            scenario:
              'Workflow engine in memory vs bpmn-engine running the equivalent BPMN process in memory (a 4-state approval with one revision loop; definitions parsed once for both)',
            engine: '-',
            figure: 'transitions/s in memory',
            value: Math.round(transitionsPerSecond(memory)),
            unit: 'transitions/s',
            baseline,
            target: '≥ 100× bpmn-engine',
            note: `${route}; ${memory.instances} instances by Gapura's engine (role checked, history kept in memory), ${bpmn.instances} by bpmn-engine (one engine an instance, user tasks signalled); every instance ended approved in both`,
          },
          100,
        ),
        ratioRow(
          {
            scenario:
              "Workflow engine with every transition persisted to SQLite (Gapura's pragmas, Kysely) vs bpmn-engine in memory",
            engine: 'sqlite',
            figure: 'transitions/s persisted',
            value: Math.round(transitionsPerSecond(persisted)),
            unit: 'transitions/s',
            baseline,
            target: '≥ 10× bpmn-engine',
            note: `one transaction per transition: the submission inserts the instance row and its history event; every move is one UPDATE of the instance's state, outcome, row version and time conditional on the row version it read, and one INSERT of its history event (8 columns, foreign key and index on the instance); ${persisted.instances} instances, ${events} history events stored (warm-up included), every instance ended approved`,
          },
          10,
        ),
      ];
    } finally {
      await handle.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
