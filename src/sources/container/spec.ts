import { z } from 'zod'
import { expiresIn, roleName } from '../../world/spec-parts.js'

/** `container: { role, authToken?, uri? }`: the container credentials endpoint. */
export const containerSpec = z
  .strictObject({
    role: roleName,
    authToken: z.enum(['header', 'file', 'none']).optional(),
    uri: z
      .enum(['full', 'relative'], {
        error: 'uri is which variable points the SDK at the endpoint: "full" (AWS_CONTAINER_CREDENTIALS_FULL_URI, default) or "relative" (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, the SDK\'s 169.254.170.2, routed to loopback)',
      })
      .optional(),
    expiresIn,
  })
  .optional()
