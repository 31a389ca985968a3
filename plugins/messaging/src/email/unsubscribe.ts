// The unsubscribe link every email carries: a page a person opens (GET, which changes
// nothing: mail scanners prefetch links) with a button that POSTs to the same URL, and
// the same URL as the List-Unsubscribe target mail clients POST to (RFC 8058 one-click).

/** queueMessage makes the key with randomBytes(24).toString('base64url'): 32 characters. */
const keyPattern = /^[A-Za-z0-9_-]{32}$/;

export const isUnsubscribeKey = (key: unknown): key is string => typeof key === 'string' && keyPattern.test(key);

/** The path of a message's unsubscribe link, under the tenant's own webhook URL. */
export const unsubscribePath = (tenantId: string, key: string) => `/webhooks/messaging/${encodeURIComponent(tenantId)}/email/unsubscribe?key=${key}`;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const page = (title: string, content: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
  `<meta name="robots" content="noindex"><title>${title}</title></head>` +
  `<body style="font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem">${content}</body></html>`;

/** What the link opens: a question, and the button that answers it. */
export function confirmationPage(actionUrl: string): string {
  return page(
    'Unsubscribe',
    `<h1>Unsubscribe</h1><p>Stop receiving email from this sender?</p>` +
      `<form method="post" action="${escapeHtml(actionUrl)}"><button type="submit">Unsubscribe</button></form>`,
  );
}

/** What the POST answers (a person's form or a mail client's one-click; the same for a key we do not know). */
export const doneAnswer = {
  type: 'text/html',
  body: page('Unsubscribed', '<h1>Unsubscribed</h1><p>You will not receive more email from this sender.</p>'),
};
