import { currentTotp } from '../../src/identity/totp.ts';

const lastStep = new Map<string, number>();

/**
 * A TOTP code the server has not seen yet for this secret. The server refuses a code twice, so a
 * second sign-in within the same 30-second step uses the next step's code (accepted within ±1),
 * or waits for the step after that.
 */
export async function unusedTotp(secret: string): Promise<string> {
  for (;;) {
    const now = Date.now();
    const current = Math.floor(now / 30_000);
    const last = lastStep.get(secret) ?? -1;
    const step = Math.max(current, last + 1);
    if (step <= current + 1) {
      lastStep.set(secret, step);
      return currentTotp(secret, step * 30_000);
    }
    await new Promise((resolve) => setTimeout(resolve, (current + 1) * 30_000 - now + 50));
  }
}
