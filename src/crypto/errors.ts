/** A key cannot be loaded, or a ciphertext cannot be opened with the keys at hand. */
export class KeyError extends Error {
  override name = 'KeyError';
}
