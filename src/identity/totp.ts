import { authenticator } from 'otplib';

const STEP_SECONDS = 30;
authenticator.options = { step: STEP_SECONDS, window: 1, digits: 6 };

export function newTotpSecret(): string {
  return authenticator.generateSecret(20);
}

export function currentTotp(secret: string, now: number = Date.now()): string {
  return authenticator.clone({ ...authenticator.options, epoch: now }).generate(secret);
}

export function totpUri(secret: string, accountLabel: string): string {
  return authenticator.keyuri(accountLabel, 'Gapura', secret);
}

/**
 * Returns the time step a code belongs to (within ±1 step of now), or undefined when the code is
 * wrong. Callers store the step and refuse a step not later than the last one used, so a code
 * cannot be replayed.
 */
export function matchTotpStep(secret: string, code: string, now: number = Date.now()): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const current = Math.floor(now / 1000 / STEP_SECONDS);
  for (const delta of [0, -1, 1]) {
    const step = current + delta;
    if (currentTotp(secret, step * STEP_SECONDS * 1000) === code) return step;
  }
  return undefined;
}
