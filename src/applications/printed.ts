/**
 * The fields an issued document prints, as text: the definition's `output.printedFields`, each
 * with its label in both languages and its answer written the way the review page writes it (in
 * Indonesian, the language of the document).
 */
import type { LeafField, ServiceDefinition } from '../catalog/schemas.ts';
import type { PageContext } from '../web/pages/layout.tsx';
import { answerText } from './pages/answers.tsx';

const DOCUMENT_PAGE: PageContext = { lang: 'id', principal: null, csrfToken: '', isDemo: false, path: '/' };

export interface PrintedText {
  label: { id: string; en: string };
  value: string;
}

function leafText(field: LeafField, value: unknown): string {
  return answerText(DOCUMENT_PAGE, field, value) ?? '-';
}

export function printedFields(
  definition: ServiceDefinition,
  answers: Readonly<Record<string, unknown>>,
): PrintedText[] {
  const fields = definition.form.sections.flatMap((s) => s.fields);
  return definition.output.printedFields.flatMap((key) => {
    const field = fields.find((f) => f.key === key);
    if (!field) return [];
    const value = answers[key];
    if (field.type !== 'group') return [{ label: field.label, value: leafText(field, value) }];
    const items = Array.isArray(value) ? value : [];
    const text = items
      .map((item) =>
        field.fields
          .map((inner) =>
            leafText(
              inner,
              typeof item === 'object' && item !== null
                ? (item as Record<string, unknown>)[inner.key]
                : undefined,
            ),
          )
          .join(', '),
      )
      .join('; ');
    return [{ label: field.label, value: text || '-' }];
  });
}
