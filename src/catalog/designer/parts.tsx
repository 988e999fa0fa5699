/** The identity, standard, workflow and output parts of the editor. */
import { AGENCY_ROLES } from '../../identity/roles.ts';
import type { MessageKey } from '../../web/i18n/index.ts';
import {
  ACTION_KINDS,
  APPLICANT_ROLE,
  CATEGORIES,
  IDENTITY_ASSURANCE_LEVELS,
  STANDARD_COMPONENTS,
  TERMINAL_OUTCOMES,
} from '../schemas.ts';
import {
  Checkbox,
  CheckboxGroup,
  type Choice,
  Command,
  type Editor,
  Hidden,
  LocalInputs,
  ProblemText,
  Radios,
  Select,
  TextInput,
  t,
  valueAt,
} from './kit.tsx';
import { allFields, type Doc } from './mapping.ts';
import { idOf } from './names.ts';

function record(value: unknown): Doc {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Doc) : {};
}

function array(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function stringList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return array(value).filter((x): x is string => typeof x === 'string');
}

function textIn(e: Editor, value: unknown): string {
  const v = record(value);
  const local = v[e.page.lang];
  const other = v[e.page.lang === 'id' ? 'en' : 'id'];
  return typeof local === 'string' && local !== '' ? local : typeof other === 'string' ? other : '';
}

function componentLabel(e: Editor, key: string): string {
  const found = STANDARD_COMPONENTS.find((c) => c.key === key);
  return found ? found.label[e.page.lang] : key;
}

export function categoryChoices(page: Editor | Parameters<typeof t>[0]): Choice[] {
  return CATEGORIES.map((c) => ({ value: c, label: t(page, `designer.category.${c}` as MessageKey) }));
}

export function IdentityPart(props: { e: Editor }) {
  const { e } = props;
  const tags = stringList(e.doc.tags).join(', ');
  return (
    <div id={idOf('identity')}>
      <dl class="d-facts">
        <dt>{t(e, 'designer.address')}</dt>
        <dd safe>{`/services/${String(e.doc.slug ?? '')}`}</dd>
      </dl>
      <ProblemText e={e} path="slug" own />
      <ProblemText e={e} path="agency" own />
      <LocalInputs
        e={e}
        path="name"
        label={t(e, 'designer.service_name')}
        hint={t(e, 'designer.service_name_hint')}
      />
      <LocalInputs
        e={e}
        path="description"
        label={t(e, 'designer.description')}
        hint={t(e, 'designer.description_hint')}
        multiline
      />
      <Select
        e={e}
        path="category"
        label={t(e, 'designer.category')}
        choices={categoryChoices(e)}
        placeholder={t(e, 'designer.choose')}
      />
      <TextInput
        e={e}
        path="tags"
        label={t(e, 'designer.tags')}
        hint={t(e, 'designer.tags_hint')}
        value={tags}
      />
    </div>
  );
}

function RegulationInputs(props: { e: Editor; path: string; title: string }) {
  const { e, path, title } = props;
  return (
    <div>
      <div class="d-row">
        <TextInput
          e={e}
          path={`${path}.type`}
          label={t(e, 'designer.regulation_type')}
          hint={t(e, 'designer.regulation_type_hint')}
          context={title}
          width="medium"
        />
        <TextInput
          e={e}
          path={`${path}.number`}
          label={t(e, 'designer.regulation_number')}
          context={title}
          width="short"
        />
        <TextInput
          e={e}
          path={`${path}.year`}
          label={t(e, 'designer.regulation_year')}
          context={title}
          width="short"
          inputmode="numeric"
        />
      </div>
      <LocalInputs e={e} path={`${path}.title`} label={`${title}: ${t(e, 'designer.regulation_title')}`} />
      <TextInput
        e={e}
        path={`${path}.link`}
        label={t(e, 'designer.regulation_link')}
        context={title}
        type="url"
      />
    </div>
  );
}

export function StandardPart(props: { e: Editor }) {
  const { e } = props;
  const standard = record(e.doc.standard);
  const regulations = array(standard.legalBasis);
  const requirements = array(standard.requirements);
  const optional = STANDARD_COMPONENTS.filter((c) => c.group === 'management' && c.key !== 'legalBasis').map(
    (c) => c.key,
  );
  return (
    <div id={idOf('standard')}>
      <ProblemText e={e} path="standard" own />
      <p class="g-field__hint">{t(e, 'designer.standard_intro')}</p>
      <h2>{t(e, 'designer.delivery_components')}</h2>
      <fieldset class="d-list" id={idOf('standard.requirements')}>
        <legend class="g-field__label">{componentLabel(e, 'requirements')}</legend>
        <p class="g-field__hint">{t(e, 'designer.requirements_hint')}</p>
        <ProblemText e={e} path="standard.requirements" />
        {requirements.map((_, i) => {
          const title = `${componentLabel(e, 'requirements')} ${i + 1}`;
          return (
            <div class="d-item d-item--plain" id={idOf(`standard.requirements[${i}]`)}>
              <LocalInputs e={e} path={`standard.requirements[${i}]`} label={title} />
              <div class="d-actions">
                {i > 0 ? (
                  <Command
                    command={`moveRequirement:${i}:up`}
                    label={t(e, 'designer.move_up')}
                    context={title}
                  />
                ) : (
                  ''
                )}
                {i < requirements.length - 1 ? (
                  <Command
                    command={`moveRequirement:${i}:down`}
                    label={t(e, 'designer.move_down')}
                    context={title}
                  />
                ) : (
                  ''
                )}
                <Command
                  command={`removeRequirement:${i}`}
                  label={t(e, 'designer.remove')}
                  context={title}
                  kind="warning"
                />
              </div>
            </div>
          );
        })}
        <Command command="addRequirement" label={t(e, 'designer.add_requirement')} />
      </fieldset>
      <LocalInputs
        e={e}
        path="standard.procedure"
        label={componentLabel(e, 'procedure')}
        hint={t(e, 'designer.procedure_hint')}
        multiline
      />
      <TextInput
        e={e}
        path="standard.completionDays"
        label={t(e, 'designer.completion_days')}
        hint={t(e, 'designer.completion_days_hint')}
        width="short"
        inputmode="numeric"
      />
      <fieldset class="d-list" id={idOf('standard.fee')}>
        <legend class="g-field__label">{componentLabel(e, 'fee')}</legend>
        <ProblemText e={e} path="standard.fee" />
        <Radios
          e={e}
          path="standard.fee.kind"
          legend={t(e, 'designer.fee_kind')}
          choices={[
            { value: 'free', label: t(e, 'designer.fee_free') },
            { value: 'paid', label: t(e, 'designer.fee_paid') },
          ]}
        />
        <TextInput
          e={e}
          path="standard.fee.amountRupiah"
          label={t(e, 'designer.fee_amount')}
          hint={t(e, 'designer.fee_amount_hint')}
          width="medium"
          inputmode="numeric"
        />
        <fieldset class="d-sub" id={idOf('standard.fee.legalBasis')}>
          <legend class="g-field__label">{t(e, 'designer.fee_basis')}</legend>
          <p class="g-field__hint">{t(e, 'designer.fee_basis_hint')}</p>
          <ProblemText e={e} path="standard.fee.legalBasis" />
          <RegulationInputs e={e} path="standard.fee.legalBasis" title={t(e, 'designer.fee_basis')} />
        </fieldset>
        <LocalInputs e={e} path="standard.fee.note" label={t(e, 'designer.fee_note')} multiline />
      </fieldset>
      <LocalInputs
        e={e}
        path="standard.product"
        label={componentLabel(e, 'product')}
        hint={t(e, 'designer.product_hint')}
      />
      <LocalInputs
        e={e}
        path="standard.complaintHandling"
        label={componentLabel(e, 'complaintHandling')}
        hint={t(e, 'designer.complaints_hint')}
        multiline
      />
      <h2>{t(e, 'designer.management_components')}</h2>
      <p class="g-field__hint">{t(e, 'designer.management_hint')}</p>
      <fieldset class="d-list" id={idOf('standard.legalBasis')}>
        <legend class="g-field__label">{componentLabel(e, 'legalBasis')}</legend>
        <ProblemText e={e} path="standard.legalBasis" />
        {regulations.map((_, i) => {
          const title = `${t(e, 'designer.regulation')} ${i + 1}`;
          return (
            <div class="d-item d-item--plain" id={idOf(`standard.legalBasis[${i}]`)}>
              <h3 safe>{title}</h3>
              <ProblemText e={e} path={`standard.legalBasis[${i}]`} />
              <RegulationInputs e={e} path={`standard.legalBasis[${i}]`} title={title} />
              <Command
                command={`removeRegulation:${i}`}
                label={t(e, 'designer.remove')}
                context={title}
                kind="warning"
              />
            </div>
          );
        })}
        <Command command="addRegulation" label={t(e, 'designer.add_regulation')} />
      </fieldset>
      {optional.map((key) => (
        <LocalInputs e={e} path={`standard.${key}`} label={componentLabel(e, key)} multiline />
      ))}
    </div>
  );
}

function roleChoices(e: Editor, withApplicant: boolean): Choice[] {
  const agency = AGENCY_ROLES.map((r) => ({ value: r, label: t(e, `role.${r}` as MessageKey) }));
  return withApplicant
    ? [{ value: APPLICANT_ROLE, label: t(e, 'designer.role.applicant') }, ...agency]
    : agency;
}

export function WorkflowPart(props: { e: Editor }) {
  const { e } = props;
  const workflow = record(e.doc.workflow);
  const states = array(workflow.states).map(record);
  const actions = array(workflow.actions).map(record);
  const stateChoices: Choice[] = states
    .filter((s) => typeof s.key === 'string' && s.key !== '')
    .map((s) => ({ value: String(s.key), label: textIn(e, s.label) || String(s.key) }));
  return (
    <div id={idOf('workflow')}>
      <ProblemText e={e} path="workflow" own />
      <p class="g-field__hint">{t(e, 'designer.workflow_intro')}</p>
      <h2>{t(e, 'designer.states')}</h2>
      <fieldset class="d-list" id={idOf('workflow.states')}>
        <legend class="d-vh">{t(e, 'designer.states')}</legend>
        <ProblemText e={e} path="workflow.states" />
        {states.map((state, i) => {
          const path = `workflow.states[${i}]`;
          const name = textIn(e, state.label) || `${t(e, 'designer.state')} ${i + 1}`;
          return (
            <fieldset class="d-item" id={idOf(path)}>
              <legend class="d-item__title" safe>
                {`${t(e, 'designer.state')} ${i + 1}: ${name}`}
              </legend>
              <ProblemText e={e} path={path} />
              <Hidden name={`${path}.keyWas`} value={typeof state.key === 'string' ? state.key : ''} />
              <LocalInputs
                e={e}
                path={`${path}.label`}
                label={t(e, 'designer.state_label')}
                hint={t(e, 'designer.state_label_hint')}
              />
              <Checkbox e={e} path={`${path}.applicantCanEdit`} label={t(e, 'designer.applicant_can_edit')} />
              <Checkbox
                e={e}
                path={`${path}.slaRuns`}
                label={t(e, 'designer.sla_runs')}
                hint={t(e, 'designer.sla_runs_hint')}
              />
              <div class="d-row">
                <TextInput
                  e={e}
                  path={`${path}.slaDays`}
                  label={t(e, 'designer.sla_days')}
                  context={name}
                  width="short"
                  inputmode="numeric"
                />
                <Select
                  e={e}
                  path={`${path}.terminal`}
                  label={t(e, 'designer.terminal')}
                  context={name}
                  hint={t(e, 'designer.terminal_hint')}
                  placeholder={t(e, 'designer.terminal.none')}
                  choices={TERMINAL_OUTCOMES.map((o) => ({
                    value: o,
                    label: t(e, `designer.terminal.${o}` as MessageKey),
                  }))}
                />
              </div>
              <TextInput
                e={e}
                path={`${path}.key`}
                label={t(e, 'designer.key')}
                hint={t(e, 'designer.key_hint')}
                context={name}
                width="medium"
              />
              <div class="d-actions">
                {i > 0 ? (
                  <Command command={`moveState:${i}:up`} label={t(e, 'designer.move_up')} context={name} />
                ) : (
                  ''
                )}
                {i < states.length - 1 ? (
                  <Command
                    command={`moveState:${i}:down`}
                    label={t(e, 'designer.move_down')}
                    context={name}
                  />
                ) : (
                  ''
                )}
                <Command
                  command={`removeState:${i}`}
                  label={t(e, 'designer.remove_state')}
                  context={name}
                  kind="warning"
                />
              </div>
            </fieldset>
          );
        })}
        <Command command="addState" label={t(e, 'designer.add_state')} />
      </fieldset>
      <Select
        e={e}
        path="workflow.startState"
        label={t(e, 'designer.start_state')}
        hint={t(e, 'designer.start_state_hint')}
        choices={stateChoices}
        placeholder={t(e, 'designer.choose')}
      />
      <h2>{t(e, 'designer.actions')}</h2>
      <fieldset class="d-list" id={idOf('workflow.actions')}>
        <legend class="d-vh">{t(e, 'designer.actions')}</legend>
        <p class="g-field__hint">{t(e, 'designer.actions_intro')}</p>
        <ProblemText e={e} path="workflow.actions" />
        {actions.map((action, i) => {
          const path = `workflow.actions[${i}]`;
          const name = textIn(e, action.label) || `${t(e, 'designer.action')} ${i + 1}`;
          return (
            <fieldset class="d-item" id={idOf(path)}>
              <legend class="d-item__title" safe>
                {`${t(e, 'designer.action')} ${i + 1}: ${name}`}
              </legend>
              <ProblemText e={e} path={path} />
              <LocalInputs
                e={e}
                path={`${path}.label`}
                label={t(e, 'designer.action_label')}
                hint={t(e, 'designer.action_label_hint')}
              />
              <CheckboxGroup
                e={e}
                path={`${path}.from`}
                legend={t(e, 'designer.action_from', { name })}
                choices={stateChoices}
                selected={stringList(action.from)}
              />
              <Select
                e={e}
                path={`${path}.to`}
                label={t(e, 'designer.action_to')}
                context={name}
                choices={stateChoices}
                placeholder={t(e, 'designer.choose')}
              />
              <CheckboxGroup
                e={e}
                path={`${path}.roles`}
                legend={t(e, 'designer.action_roles', { name })}
                choices={roleChoices(e, true)}
                selected={stringList(action.roles)}
              />
              <Checkbox e={e} path={`${path}.requiresComment`} label={t(e, 'designer.requires_comment')} />
              <Checkbox e={e} path={`${path}.requiresDocument`} label={t(e, 'designer.requires_document')} />
              <Select
                e={e}
                path={`${path}.kind`}
                label={t(e, 'designer.action_kind')}
                context={name}
                hint={t(e, 'designer.action_kind_hint')}
                placeholder={t(e, 'designer.kind.unset')}
                choices={ACTION_KINDS.map((k) => ({
                  value: k,
                  label: t(e, `designer.kind.${k}` as MessageKey),
                }))}
              />
              <TextInput
                e={e}
                path={`${path}.key`}
                label={t(e, 'designer.key')}
                hint={t(e, 'designer.key_hint')}
                context={name}
                width="medium"
              />
              <div class="d-actions">
                {i > 0 ? (
                  <Command command={`moveAction:${i}:up`} label={t(e, 'designer.move_up')} context={name} />
                ) : (
                  ''
                )}
                {i < actions.length - 1 ? (
                  <Command
                    command={`moveAction:${i}:down`}
                    label={t(e, 'designer.move_down')}
                    context={name}
                  />
                ) : (
                  ''
                )}
                <Command
                  command={`removeAction:${i}`}
                  label={t(e, 'designer.remove_action')}
                  context={name}
                  kind="warning"
                />
              </div>
            </fieldset>
          );
        })}
        <Command command="addAction" label={t(e, 'designer.add_action')} />
      </fieldset>
    </div>
  );
}

export function OutputPart(props: { e: Editor }) {
  const { e } = props;
  const fields = allFields(e.doc.form).filter((f) => typeof f.key === 'string' && f.key !== '');
  const sections = array(record(e.doc.form).sections).map(record);
  const retention = record(record(e.doc.dataRules).retention);
  return (
    <div id={idOf('output')}>
      <ProblemText e={e} path="output" own />
      <ProblemText e={e} path="dataRules" own />
      <h2>{t(e, 'designer.output_document')}</h2>
      <LocalInputs
        e={e}
        path="output.documentName"
        label={t(e, 'designer.document_name')}
        hint={t(e, 'designer.document_name_hint')}
      />
      <CheckboxGroup
        e={e}
        path="output.printedFields"
        legend={t(e, 'designer.printed_fields')}
        hint={t(e, 'designer.printed_fields_hint')}
        choices={fields.map((f) => ({ value: String(f.key), label: textIn(e, f.label) || String(f.key) }))}
        selected={stringList(valueAt(e.doc, 'output.printedFields'))}
      />
      <h2>{t(e, 'designer.data_rules')}</h2>
      <CheckboxGroup
        e={e}
        path="dataRules.specificFieldRoles"
        legend={t(e, 'designer.specific_roles')}
        hint={t(e, 'designer.specific_roles_hint')}
        choices={roleChoices(e, false)}
        selected={stringList(valueAt(e.doc, 'dataRules.specificFieldRoles'))}
      />
      <fieldset class="d-list" id={idOf('dataRules.retention')}>
        <legend class="g-field__label">{t(e, 'designer.retention')}</legend>
        <ProblemText e={e} path="dataRules.retention" />
        <TextInput
          e={e}
          path="dataRules.retention.years"
          label={t(e, 'designer.retention_years')}
          width="short"
          inputmode="numeric"
        />
        <TextInput
          e={e}
          path="dataRules.retention.basis"
          label={t(e, 'designer.retention_basis')}
          hint={t(e, 'designer.retention_basis_hint')}
          value={typeof retention.basis === 'string' ? retention.basis : ''}
          multiline
        />
      </fieldset>
      <Radios
        e={e}
        path="dataRules.identityAssurance"
        legend={t(e, 'designer.identity_assurance')}
        choices={IDENTITY_ASSURANCE_LEVELS.map((l) => ({
          value: l,
          label: t(e, `designer.assurance.${l}` as MessageKey),
        }))}
      />
      <fieldset class="d-checks" id={idOf('subjectSections')}>
        <legend class="g-field__label">{t(e, 'designer.subject_sections')}</legend>
        <p class="g-field__hint">{t(e, 'designer.subject_sections_hint')}</p>
        {sections.map((s, i) => (
          <div class="d-check">
            <input
              type="checkbox"
              id={`${idOf('subjectSections')}-${i}`}
              name="subjectSections"
              value={String(i)}
              checked={s.describesSubject === true}
            />
            <label for={`${idOf('subjectSections')}-${i}`} safe>
              {textIn(e, s.title) || `${t(e, 'designer.section')} ${i + 1}`}
            </label>
          </div>
        ))}
      </fieldset>
    </div>
  );
}
