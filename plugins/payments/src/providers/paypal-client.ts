// The PayPal SDK bound to one tenant's app credentials. The SDK only knows PayPal's two
// hosts (its getBaseUri throws for anything else), so every request goes through an axios
// adapter that moves it to the configured API URL: the real host in production, a local
// fake in tests. `unstable_httpClientOptions` is the SDK's own (unstable) hook for that;
// the version is pinned and paypal.test.ts proves the requests still arrive.
import { createHash } from 'node:crypto';
import { Client, Environment, OrdersController, PaymentsController, type OAuthToken } from '@paypal/paypal-server-sdk';
import axios, { type AxiosAdapter, type InternalAxiosRequestConfig } from 'axios';

export interface PaypalAccount {
  clientId: string;
  clientSecret: string;
  webhookId: string;
  environment: 'sandbox' | 'live';
}

export const paypalHosts = { live: 'https://api-m.paypal.com', sandbox: 'https://api-m.sandbox.paypal.com' } as const;

/**
 * Where this account's requests go: the configured URL, except that the default (live)
 * host means "PayPal itself", where a sandbox account talks to PayPal's sandbox.
 */
export function paypalApiBase(apiUrl: string, account: Pick<PaypalAccount, 'environment'>): string {
  const configured = apiUrl.replace(/\/+$/, '');
  return configured === paypalHosts.live ? paypalHosts[account.environment] : configured;
}

export interface PaypalClient {
  orders: OrdersController;
  payments: PaymentsController;
  /** Drops the cached access token (PayPal answered 401: revoked, or the app's secret changed). */
  forgetToken(): void;
}

// Access tokens live about 9 hours: one per app (and host) serves every call meanwhile,
// instead of a token request before each checkout. Keyed by a hash, never the secret itself.
const tokens = new Map<string, OAuthToken>();
const maxTokens = 1_000;

export function paypalClient(apiUrl: string, account: PaypalAccount): PaypalClient {
  const base = paypalApiBase(apiUrl, account);
  const http = axios.getAdapter('http') as AxiosAdapter;
  const adapter: AxiosAdapter = (config: InternalAxiosRequestConfig) => {
    if (config.url) {
      for (const host of Object.values(paypalHosts)) {
        if (config.url.startsWith(host)) config.url = base + config.url.slice(host.length);
      }
    }
    return http(config);
  };
  const tokenKey = createHash('sha256').update(`${base}\n${account.clientId}\n${account.clientSecret}`).digest('base64url');
  const client = new Client({
    environment: account.environment === 'live' ? Environment.Production : Environment.Sandbox,
    clientCredentialsAuthCredentials: {
      oAuthClientId: account.clientId,
      oAuthClientSecret: account.clientSecret,
      oAuthToken: tokens.get(tokenKey),
      // Renewed a minute before it expires, so no call goes out with a token about to lapse.
      oAuthClockSkew: 60,
      oAuthOnTokenUpdate: (token) => {
        if (tokens.size >= maxTokens) tokens.delete(tokens.keys().next().value!);
        tokens.set(tokenKey, token);
      },
    },
    timeout: 30_000,
    unstable_httpClientOptions: { adapter },
  });
  return { orders: new OrdersController(client), payments: new PaymentsController(client), forgetToken: () => tokens.delete(tokenKey) };
}
