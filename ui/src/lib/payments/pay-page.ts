// The pay page's calls (public: no session, no cookie) and its words for where a payment
// stands, typed from the payments plugin's routes.
import { publicRequest, type Reply, type Schema } from '../api.ts';

export type PublicPayment = Schema<'PublicPayment'>;
export type PaymentStatus = PublicPayment['status'];
export type SandboxOutcome = 'succeed' | 'decline' | 'abandon';

const base = (token: string) => `/payments/public/pay/${encodeURIComponent(token)}`;

export const payApi = {
  page: (token: string) => publicRequest<Reply<'/payments/public/pay/{payToken}'>>('GET', base(token)),
  /** Where to send the payer: the provider's checkout (or, in sandbox mode, this page with ?sandbox=1). */
  checkout: (token: string) => publicRequest<Reply<'/payments/public/pay/{payToken}/checkout', 'post'>>('POST', `${base(token)}/checkout`, {}),
  /** The payer is back from the provider with its query string: the payment is completed where the provider needs it. */
  returned: (token: string, query: Record<string, string>) => publicRequest<Reply<'/payments/public/pay/{payToken}/return', 'post'>>('POST', `${base(token)}/return`, { query }),
  sandbox: (token: string, outcome: SandboxOutcome) => publicRequest<Reply<'/payments/public/pay/{payToken}/sandbox', 'post'>>('POST', `${base(token)}/sandbox`, { outcome }),
};

/** The payment is settled one way or the other for now: nothing to wait for. */
export const settled = (status: PaymentStatus) => status !== 'PENDING' && status !== 'PROCESSING';
