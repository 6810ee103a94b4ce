/** The `login` faults: what they do to the world, and what the real SDK does about them (checked by test/sources/login.test.ts). */
export const LOGIN_ERRORS = ['TOKEN_EXPIRED', 'USER_CREDENTIALS_CHANGED', 'INSUFFICIENT_PERMISSIONS'] as const
/** The fields LoginCredentialsFetcher.loadToken requires (accountId: of the access token). */
export const LOGIN_CACHE_FIELDS = ['accessToken', 'clientId', 'refreshToken', 'dpopKey', 'accountId'] as const
export type LoginFault =
  | { target: 'login'; kind: 'missingCache' | 'expired'; profile?: string }
  | { target: 'login'; kind: 'invalidCache'; field?: (typeof LOGIN_CACHE_FIELDS)[number]; profile?: string }
  | { target: 'login'; kind: 'refreshUnavailable'; status?: 400 | 500; profile?: string }
  | { target: 'login'; kind: 'refreshRefused'; error?: (typeof LOGIN_ERRORS)[number]; profile?: string }

export const LOGIN_FAULT_DOCS = {
  missingCache: {
    does: 'the login cache file is not written (login_session still names the session)',
    sdk: '"Failed to load token from …/login/cache/<sha256>.json" (tryNextLink false) STOPS the chain',
  },
  invalidCache: {
    does: 'the login cache lacks that field (default dpopKey; accountId: of the access token)',
    sdk: '"Token validation failed, missing fields: <field>" (tryNextLink false) STOPS the chain',
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
    does: 'the cached access token expired and Signin answers the refresh with that status (500 InternalServerException, default; 400 ValidationException)',
    sdk: '"Failed to refresh token: … Please re-authenticate using aws login", a plain CredentialsProviderError: the chain MOVES ON',
  },
} as const
