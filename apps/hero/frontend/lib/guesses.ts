// Fake password guessing: a small deck of candidates that always holds the real password, dealt
// in a shuffled order, so a user gets in within `DECK_SIZE` clicks.

export const DECK_SIZE = 3;

const ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

function randomIndex(limit: number): number {
  const values = new Uint32Array(1);
  crypto.getRandomValues(values);
  return values[0] % limit;
}

function decoyFor(password: string): string {
  const length = Math.max(password.length, 6);
  let decoy = "";
  for (let i = 0; i < length; i += 1) {
    decoy += ALPHABET[randomIndex(ALPHABET.length)];
  }
  return decoy === password ? `${decoy}x` : decoy;
}

function shuffle<T>(items: T[]): T[] {
  const result = [...items];
  for (let i = result.length - 1; i > 0; i -= 1) {
    const j = randomIndex(i + 1);
    [result[i], result[j]] = [result[j], result[i]];
  }
  return result;
}

/** A new shuffled deck: the password and DECK_SIZE - 1 decoys. */
export function dealDeck(password: string): string[] {
  const decoys = Array.from({ length: DECK_SIZE - 1 }, () => decoyFor(password));
  return shuffle([password, ...decoys]);
}

/** A short random id, shown so that a remount of the iframe is visible. */
export function newMountId(): string {
  return Array.from({ length: 8 }, () => ALPHABET[randomIndex(ALPHABET.length)]).join("");
}
