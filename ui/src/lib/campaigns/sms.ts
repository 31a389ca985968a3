// How many SMS segments a message takes: 160 GSM-7 characters in one (153 each when split),
// 70 UCS-2 characters (67 when split) once any character is outside GSM-7, e.g. an emoji.
const gsm = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const gsmExtended = new Set('^{}\\[~]|€');

export interface SmsLength {
  characters: number;
  segments: number;
  encoding: 'GSM-7' | 'Unicode';
}

export function smsLength(text: string): SmsLength {
  let units = 0;
  let unicode = false;
  for (const ch of text) {
    if (gsm.has(ch)) units += 1;
    else if (gsmExtended.has(ch)) units += 2;
    else unicode = true;
  }
  if (unicode) {
    // UCS-2 counts UTF-16 code units: an emoji is two.
    const n = text.length;
    return { characters: [...text].length, segments: n === 0 ? 0 : n <= 70 ? 1 : Math.ceil(n / 67), encoding: 'Unicode' };
  }
  return { characters: [...text].length, segments: units === 0 ? 0 : units <= 160 ? 1 : Math.ceil(units / 153), encoding: 'GSM-7' };
}
