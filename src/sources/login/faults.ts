/** The `login` faults: what they do to the world, and what the real SDK does about them (checked by test/sources/login.test.ts). */
export const LOGIN_ERRORS = ['TOKEN_EXPIRED', 'USER_CREDENTIALS_CHANGED', 'INSUFFICIENT_PERMISSIONS'] as const
export type LoginFault =
  | { target: 'login'; kind: 'missingCache' | 'invalidCache' | 'expired' | 'refreshUnavailable'; profile?: string }
  | { target: 'login'; kind: 'refreshRefused'; error?: (typeof LOGIN_ERRORS)[number]; profile?: string }

export const LOGIN_FAULT_DOCS = {
  missingCache: {
    does: 'the login cache file is not written (login_session still names the session)',
    sdk: '"Failed to load token from …/login/cache/<sha256>.json" (tryNextLink false) STOPS the chain',
  },
  invalidCache: {
    does: 'the login cache lacks its dpopKey',
    sdk: '"Token validation failed, missing fields: dpopKey" (tryNextLink false) STOPS the chain',
  },
  expired: {
    does: 'the cached access token expired a minute ago; the loopback Signin endpoint answers the refresh',
    sdk: 'refreshes through Signin CreateOAuth2Token with a DPoP proof (verified), rewrites the cache and resolves with the new session',
  },
  refreshRefused: {
    does: 'the cached access token expired and Signin answers the refresh AccessDeniedException with that `error`',
    sdk: 'TOKEN_EXPIRED: "Your session has expired. Please reauthenticate." (tryNextLink false) STOPS the chain; the other errors likewise, in their own words',
  },
  refreshUnavailable: {
    does: 'the cached access token expired and Signin answers the refresh HTTP 500',
    sdk: '"Failed to refresh token: … Please re-authenticate using aws login", a plain CredentialsProviderError: the chain MOVES ON',
  },
} as const
