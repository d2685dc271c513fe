import { DEFAULT_HOSTS, type Config } from "../config";

/** Everything the cloud client needs; `clientConfigFromConfig` fills it from the add-on config. */
export interface ThermoworksClientConfig {
  email: string;
  password: string;
  /** Firebase web API key (a public identifier, not a secret). */
  apiKey: string;
  appId: string;
  /** Firestore project id; "" = ask webConfig (ETI Cloud, whose project id is not published). */
  projectId: string;
  referer: string;
  /** Base URLs without a trailing slash; request paths are appended exactly as the real protocol has them. */
  identityUrl: string;
  tokenUrl: string;
  firestoreUrl: string;
  /** Host of webConfig. */
  firebaseUrl: string;
  /** Per-request timeout, ms. Default 10 000. */
  requestTimeoutMs?: number;
}

const trimSlash = (url: string): string => url.replace(/\/+$/, "");

/**
 * The client config of the configured cloud. Overridden hosts (GRILL_STATS_TW_*_URL) replace
 * Google's; webConfig then lives on the identity URL's origin (the simulator serves all on one).
 */
export const clientConfigFromConfig = (config: Config): ThermoworksClientConfig => {
  const tw = config.thermoworks;
  return {
    email: tw.email,
    password: tw.password,
    apiKey: tw.apiKey,
    appId: tw.appId,
    projectId: tw.projectId,
    referer: tw.referer,
    identityUrl: trimSlash(tw.identityUrl ?? DEFAULT_HOSTS.identityUrl),
    tokenUrl: trimSlash(tw.tokenUrl ?? DEFAULT_HOSTS.tokenUrl),
    firestoreUrl: trimSlash(tw.firestoreUrl ?? DEFAULT_HOSTS.firestoreUrl),
    firebaseUrl: tw.identityUrl ? new URL(tw.identityUrl).origin : DEFAULT_HOSTS.firebaseUrl,
  };
};
