// Realistic, deterministic contact data for the CRM benchmark: names from lists with a
// skew (a few common names, a long tail), emails derived from names, E.164 phones, 0-5
// tags out of 50 (Zipf-like: a few tags on a third of the contacts, some on 0.5%), a
// company on about half of them, and custom fields { plan, seats }.

/** A small seeded PRNG (mulberry32): the same seed gives the same data on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const firstNames = (
  'James Mary John Patricia Robert Jennifer Michael Linda William Elizabeth David Barbara Richard Susan Joseph Jessica Thomas Sarah ' +
  'Charles Karen Christopher Lisa Daniel Nancy Matthew Betty Anthony Margaret Mark Sandra Donald Ashley Steven Kimberly Paul Emily ' +
  'Andrew Donna Joshua Michelle Kenneth Carol Kevin Amanda Brian Dorothy George Melissa Timothy Deborah Ronald Stephanie Edward ' +
  'Rebecca Jason Sharon Jeffrey Laura Ryan Cynthia Jacob Kathleen Gary Amy Nicholas Angela Eric Shirley Jonathan Anna Stephen ' +
  'Brenda Larry Pamela Justin Emma Scott Nicole Brandon Helen Benjamin Samantha Samuel Katherine Gregory Christine Alexander Debra ' +
  'Frank Rachel Patrick Carolyn Raymond Janet Jack Catherine Dennis Maria Jerry Heather Tyler Diane Aaron Ruth Jose Julie Adam ' +
  'Olivia Nathan Joyce Henry Virginia Douglas Victoria Zachary Kelly Peter Lauren Kyle Christina Ethan Joan Walter Evelyn Noah ' +
  'Judith Jeremy Megan Christian Andrea Keith Cheryl Roger Hannah Terry Jacqueline Gerald Martha Harold Gloria Sean Teresa Austin ' +
  'Ann Carl Sara Arthur Madison Lawrence Frances Dylan Kathryn Jesse Janice Jordan Jean Bryan Abigail Billy Alice Joe Julia Bruce ' +
  'Judy Gabriel Sophia Logan Grace Albert Denise Willie Amber Alan Doris Juan Marilyn Wayne Danielle Elijah Beverly Randy Isabella ' +
  'Roy Theresa Vincent Diana Ralph Natalie Eugene Brittany Russell Charlotte Bobby Marie Mason Kayla Philip Alexis Louis Lori ' +
  'Ada Grace Alan Barbara Yuki Hiroshi Mei Wei Priya Arjun Fatima Omar Aisha Mohammed Sofia Mateo Lucia Santiago Chloe Lucas ' +
  'Zoe Leo Ines Hugo Lea Jonas Mila Finn Nora Elias Freya Oskar Astrid Lars Ingrid Sven Zara Kai Yara Zeynep Emre'
).split(' ');

export const lastNames = (
  'Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson Anderson Thomas ' +
  'Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King ' +
  'Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Gomez Phillips ' +
  'Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris Morales Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper ' +
  'Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward Richardson Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz ' +
  'Hughes Price Alvarez Castillo Sanders Patel Myers Long Ross Foster Jimenez Powell Jenkins Perry Russell Sullivan Bell Coleman ' +
  'Butler Henderson Barnes Gonzales Fisher Vasquez Simmons Romero Jordan Patterson Alexander Hamilton Graham Reynolds Griffin ' +
  'Wallace Moreno West Cole Hayes Bryant Herrera Gibson Ellis Tran Medina Aguilar Stevens Murray Ford Castro Marshall Owens ' +
  'Harrison Fernandez McDonald Woods Washington Kennedy Wells Vargas Henry Chen Freeman Webb Tucker Guzman Burns Crawford Olson ' +
  'Simpson Porter Hunter Gordon Mendez Silva Shaw Snyder Mason Dixon Munoz Hunt Hicks Holmes Palmer Wagner Black Robertson Boyd ' +
  'Rose Stone Salazar Fox Warren Mills Meyer Rice Schmidt Garza Daniels Ferguson Nichols Stephens Soto Weaver Ryan Gardner Payne ' +
  'Grant Dunn Kelley Spencer Hawkins Arnold Pierce Vazquez Hansen Peters Santos Hart Bradley Knight Elliott Cunningham Duncan ' +
  'Armstrong Hudson Carroll Lane Riley Andrews Alvarado Ray Delgado Berry Perkins Hoffman Johnston Matthews Pena Richards Willis ' +
  'Carpenter Lawrence Sandoval Lovelace Turing Hopper Liskov Knuth Dijkstra Tanaka Suzuki Wang Zhang Singh Kumar Khan Ali ' +
  'Mueller Schneider Fischer Weber Rossi Russo Ferrari Dubois Moreau Laurent Jensen Nielsen Larsen Andersson Johansson Novak ' +
  'Kowalski Nowak Yilmaz Kaya Demir Okafor Mensah Abubakar Haddad Nassar Cohen Levi Murphy OBrien Byrne Walsh Quinn'
).split(' ');

const companyWords = (
  'Acme Summit Blue Ridge Pioneer Northwind Contoso Fabrikam Globex Initech Umbrella Stark Wayne Cyberdyne Vandelay Soylent ' +
  'Hooli Aperture Tyrell Wonka Oscorp Gringotts Monarch Sterling Cooper Dunder Prestige Apex Evergreen Harbor Lakeside Redwood ' +
  'Silverline Brightpath Keystone Cornerstone Horizon Meridian Riverbend Oakwood Granite Ironclad Westfield Eastgate Bayview'
).split(' ');
const companyKinds = 'Labs Partners Group Inc LLC Dental Realty Consulting Logistics Media Fitness Bakery Motors Legal Clinic Studio Systems Foods Solar Capital'.split(' ');
export const companies = companyWords.flatMap((w) => companyKinds.map((k) => `${w} ${k}`));

const domains = ['gmail.com', 'gmail.com', 'gmail.com', 'yahoo.com', 'outlook.com', 'hotmail.com', 'icloud.com', 'aol.com', 'proton.me', 'fastmail.com'];
const areaCodes = [212, 213, 305, 310, 312, 404, 415, 469, 512, 602, 617, 646, 702, 713, 718, 737, 801, 818, 832, 917, 206, 303, 503, 615, 704, 919, 971, 214, 347, 480];

export const tags = [
  'customer', 'lead', 'newsletter', 'prospect', 'vip', 'webinar', 'trial', 'churned', 'partner', 'referral',
  'event-2025', 'event-2026', 'ebook', 'demo-requested', 'enterprise', 'smb', 'startup', 'agency', 'retail', 'healthcare',
  'real-estate', 'education', 'nonprofit', 'finance', 'saas', 'ecommerce', 'us', 'eu', 'latam', 'apac',
  'cold', 'warm', 'hot', 'follow-up', 'no-show', 'upsell', 'renewal', 'beta', 'ambassador', 'investor',
  'press', 'supplier', 'wholesale', 'franchise', 'podcast', 'affiliate', 'sms-optin', 'unsubscribed', 'bounced', 'do-not-call',
];

/** Cumulative weights for picking index i of n with weight 1 / (i + 1)^s. */
function zipf(n: number, s: number): Float64Array {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) cdf[i] = sum += 1 / Math.pow(i + 1, s);
  for (let i = 0; i < n; i++) cdf[i]! /= sum;
  return cdf;
}
function pick(cdf: Float64Array, u: number): number {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cdf[mid]! < u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const firstCdf = zipf(firstNames.length, 0.6);
const lastCdf = zipf(lastNames.length, 0.6);
const tagCdf = zipf(tags.length, 1.25);
const companyCdf = zipf(companies.length, 0.6);

export interface GeneratedContact {
  firstName: string;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  company: string | null;
  tags: string[];
  source: string;
  plan: 'free' | 'pro' | 'team';
  seats: number;
  /** Milliseconds since the epoch. */
  createdAt: number;
  updatedAt: number;
}

const sources = ['import', 'import', 'manual', 'website', 'website', 'lead_conversion'];
const plans = ['free', 'free', 'free', 'pro', 'pro', 'team'] as const;

export const ascii = (s: string) => s.toLowerCase().replace(/[^a-z]/g, '');

/** The i-th contact of a generator seeded with `seed`: one call per contact, in order. */
export function contactGenerator(seed: number, span: { from: number; to: number }, total: number) {
  const random = prng(seed);
  const int = (n: number) => Math.floor(random() * n);
  return (i: number): GeneratedContact => {
    const firstName = firstNames[pick(firstCdf, random())]!;
    const lastName = random() < 0.97 ? lastNames[pick(lastCdf, random())]! : null;
    const f = ascii(firstName);
    const l = lastName ? ascii(lastName) : 'x';
    const n = int(10_000);
    const domain = random() < 0.2 ? `${ascii(companyWords[int(companyWords.length)]!)}.com` : domains[int(domains.length)]!;
    const local = [`${f}.${l}${n}`, `${f[0]}${l}${n}`, `${f}${n}`, `${f}_${l}${n % 100}`][int(4)]!;
    const email = random() < 0.93 ? `${local}@${domain}` : null;
    const phone = random() < 0.85 ? `+1${areaCodes[int(areaCodes.length)]}${2 + int(8)}${String(int(1_000_000)).padStart(6, '0')}` : null;
    const company = random() < 0.55 ? companies[pick(companyCdf, random())]! : null;
    const tagSet = new Set<string>();
    for (let k = int(6); k > 0; k--) tagSet.add(tags[pick(tagCdf, random())]!);
    // Created in order over the span, with a little jitter; updated some time later.
    const createdAt = Math.floor(span.from + ((span.to - span.from) * (i + random())) / total);
    const updatedAt = random() < 0.4 ? createdAt : Math.min(span.to, createdAt + int(200 * 86_400_000));
    return {
      firstName,
      lastName,
      email,
      phone,
      company,
      tags: [...tagSet],
      source: sources[int(sources.length)]!,
      plan: plans[int(plans.length)]!,
      seats: 1 + int(50),
      createdAt,
      updatedAt,
    };
  };
}
