/**
 * A backup or restore cannot go on. The message is written for the operator at the terminal and
 * says what to do; the command prints it as one line and exits 1. Nothing was changed unless the
 * message says so.
 */
export class BackupError extends Error {
  override name = 'BackupError';
}
