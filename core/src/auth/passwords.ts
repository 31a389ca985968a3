import bcrypt from 'bcrypt';

/** bcrypt work factor: about a quarter second per hash on a 2-core machine. */
export const bcryptCost = 12;

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, bcryptCost);
}

// Compared against when the account does not exist, so a login for an unknown email
// takes as long as one for a known email (no enumeration by timing).
const unknownUserHash = bcrypt.hashSync('no account has this password', bcryptCost);

export function verifyPassword(password: string, hash: string | null | undefined): Promise<boolean> {
  return bcrypt.compare(password, hash ?? unknownUserHash).then((ok) => ok && Boolean(hash));
}
