/** The longest lifetime a mandate may give a certificate (`arbiter.certificate_ttl_seconds` is at most this). */
export const MAX_CERTIFICATE_TTL_SECONDS = 86_400;

/** How far a certificate's `issued_at` may be ahead of a verifier's clock (clocks differ a little). */
export const ISSUE_SKEW_MS = 60_000;
