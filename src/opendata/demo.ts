import type { AppContext } from '../context.ts';
import { generateHistory } from './history.ts';

/**
 * Applications a month per demo service, roughly what a city of half a million files: many birth
 * certificates and family-card updates, few building approvals (so some months show "< 5").
 */
export const DEMO_VOLUMES: Readonly<Record<string, number>> = {
  'akta-kelahiran': 170,
  'pembaruan-kartu-keluarga': 210,
  'surat-keterangan-pindah': 80,
  'izin-usaha-mikro': 55,
  'persetujuan-bangunan-gedung': 6,
  sktm: 95,
};

/** Months of history the first demo start generates (the current month included). */
export const DEMO_MONTHS = 12;

/**
 * Demo data of this module, loaded by the demo seed. With `history` (first demo start, `gapura seed
 * --demo`): twelve months of applications for the demo services, walked through their workflows,
 * so the dashboards, the inboxes and the survey have something to show. Without it: nothing.
 */
export async function seedOpenDataDemo(ctx: AppContext, options: { history: boolean }): Promise<void> {
  if (!options.history) return;
  await generateHistory(ctx, {
    now: new Date(),
    months: DEMO_MONTHS,
    volumes: DEMO_VOLUMES,
    events: true,
    seed: 2026,
  });
}
