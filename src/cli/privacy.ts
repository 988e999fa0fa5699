import type { Command } from 'commander';
import { findAgencyIdBySlug } from '../agencies/service.ts';
import { openContext } from '../app.ts';
import { type BreachCategory, type BreachReport, breachReport } from '../privacy/breach.ts';
import { recordOfProcessing, ropaMarkdown } from '../privacy/ropa.ts';
import type { CliHelpers } from './audit.ts';

const EXIT_USAGE = 2;
/** ISO-8601 with a date, optional time and zone: `2026-11-29`, `2026-11-29T14:00`, `2026-11-29T07:00:00Z`. */
const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function usage(message: string): void {
  process.stderr.write(`gapura: ${message}\n`);
  process.exitCode = EXIT_USAGE;
}

/** An instant from the command line as stored text; a date without a zone is taken in UTC. */
function instant(text: string): string | undefined {
  if (!ISO.test(text)) return undefined;
  const withZone = /T.*(Z|[+-]\d{2}:?\d{2})$/.test(text) || !text.includes('T') ? text : `${text}Z`;
  const date = new Date(withZone);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

async function printRopa(helpers: CliHelpers, options: { json?: boolean; lang: string }): Promise<void> {
  if (options.lang !== 'id' && options.lang !== 'en') return usage('--lang must be id or en');
  const lang = options.lang;
  const opened = await openContext(helpers.config());
  try {
    const entries = await recordOfProcessing(opened.ctx);
    process.stdout.write(
      options.json ? `${JSON.stringify({ services: entries }, null, 2)}\n` : ropaMarkdown(entries, lang),
    );
  } finally {
    await opened.handle.close();
  }
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, i) => pad(cell, widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function describe(report: BreachReport): string {
  const { counts } = report;
  const lines = [
    `Incident window ${report.window.from} — ${report.window.to}` +
      `${report.agency ? `, agency ${report.agency}` : ''}` +
      `${report.category ? `, ${report.category} data` : ''}`,
    `Affected applications: ${counts.applications}`,
    `People with an account to notify: ${counts.people}`,
    `Subjects without an account (reach through the agency's records): ${counts.withoutAccount}`,
    `Counter filings without an account: ${counts.counterFiled}`,
    `Notify the people affected and the authority by ${report.notifyBy} (3 × 24 hours, UU 27/2022 art. 46).`,
  ];
  if (report.applications.length === 0) return `${lines.join('\n')}\n`;
  const rows = [
    ['TRACKING', 'AGENCY', 'SERVICE', 'ACCESSED', 'CHANGED', 'FILES', 'APPLICANT', 'SUBJECTS'],
    ...report.applications.map((a) => [
      a.trackingNumber ?? a.applicationId,
      a.agency,
      a.service,
      String(a.accessed),
      String(a.changed),
      String(a.files),
      a.applicant ? `${a.applicant.userId} (${a.applicant.channels.join(',')})` : 'counter, no account',
      [
        ...a.subjects.withAccount.map((s) => `${s.userId} (${s.channels.join(',')})`),
        ...(a.subjects.withoutAccount > 0 ? [`${a.subjects.withoutAccount} without account`] : []),
      ].join('; ') || '—',
    ]),
  ];
  return `${lines.join('\n')}\n\n${table(rows)}\n`;
}

async function printBreachReport(
  helpers: CliHelpers,
  options: { from: string; to: string; agency?: string; category?: string; json?: boolean },
): Promise<void> {
  const from = instant(options.from);
  const to = instant(options.to);
  if (!from) return usage(`--from "${options.from}" is not an ISO-8601 date or time`);
  if (!to) return usage(`--to "${options.to}" is not an ISO-8601 date or time`);
  if (from >= to) return usage('--from must be before --to');
  if (options.category !== undefined && options.category !== 'personal' && options.category !== 'specific')
    return usage('--category must be personal or specific');
  const category = options.category as BreachCategory | undefined;
  const opened = await openContext(helpers.config());
  try {
    let agencyId: string | undefined;
    if (options.agency !== undefined) {
      agencyId = await findAgencyIdBySlug(opened.ctx, options.agency);
      if (!agencyId) return usage(`no agency with slug "${options.agency}"`);
    }
    const report = await breachReport(opened.ctx, {
      from,
      to,
      agencyId,
      agencySlug: options.agency,
      category,
    });
    process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : describe(report));
  } finally {
    await opened.handle.close();
  }
}

/** `gapura privacy …`: the record of processing activities and breach reports. */
export function registerPrivacyCommands(program: Command, helpers: CliHelpers): void {
  const privacy = program
    .command('privacy')
    .description('Personal data protection (UU 27/2022): records and breach reports');
  privacy
    .command('ropa')
    .description('Print the record of processing activities generated from the published service definitions')
    .option('--json', 'print JSON instead of Markdown')
    .option('--lang <lang>', 'language of the Markdown: id or en', 'id')
    .action((options: { json?: boolean; lang: string }) => helpers.run(() => printRopa(helpers, options)));
  privacy
    .command('breach-report')
    .description(
      'List the applications and people whose personal data was accessed or changed in an incident window, to notify within 3 × 24 hours',
    )
    .requiredOption('--from <iso>', 'start of the incident window (ISO-8601; inclusive)')
    .requiredOption('--to <iso>', 'end of the incident window (ISO-8601; exclusive)')
    .option('--agency <slug>', 'only this agency')
    .option('--category <category>', 'personal (any personal data) or specific (UU 27/2022 specific data)')
    .option('--json', 'print JSON instead of counts and a table')
    .action((options: { from: string; to: string; agency?: string; category?: string; json?: boolean }) =>
      helpers.run(() => printBreachReport(helpers, options)),
    );
}
