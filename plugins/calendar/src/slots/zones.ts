// IANA zones as Luxon objects, made once per name. Asking Luxon whether a name is a zone builds
// an Intl.DateTimeFormat (about half a millisecond, most of a slot read's own CPU once the
// slots were cheap), and a zone given to Luxon as a string is parsed again on every DateTime;
// every page read asks both about the same few names. Only known zones are kept (a few hundred
// names at most), so a flood of made-up names costs the check each time but no memory.
import { IANAZone } from 'luxon';

const known = new Map<string, IANAZone>();
const knownMax = 2_000;

/** The zone named `name` (America/New_York), or null when Intl does not know it. */
export function zoneNamed(name: string): IANAZone | null {
  const cached = known.get(name);
  if (cached) return cached;
  if (!IANAZone.isValidZone(name)) return null;
  if (known.size >= knownMax) known.clear();
  const zone = IANAZone.create(name);
  known.set(name, zone);
  return zone;
}

/** Whether Intl knows the zone `name`. */
export const isKnownZone = (name: string): boolean => zoneNamed(name) !== null;
