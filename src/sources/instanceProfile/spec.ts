import { z } from 'zod'
import { expiresIn, region, roleName } from '../../world/spec-parts.js'

/** `instanceProfile: { role, imdsV1Only?, imdsV2Only?, region?, endpoint? }`: what the instance metadata service serves. */
export const instanceProfileSpec = z
  .strictObject({
    role: roleName,
    imdsV1Only: z.boolean().optional(),
    imdsV2Only: z.boolean().optional(),
    region: region.optional(),
    endpoint: z
      .enum(['variable', 'linkLocal'], {
        error: 'endpoint is how the SDK finds IMDS: "variable" (AWS_EC2_METADATA_SERVICE_ENDPOINT, default) or "linkLocal" (the SDK\'s own 169.254.169.254, routed to loopback)',
      })
      .optional(),
    expiresIn,
  })
  .refine((ip) => !(ip.imdsV1Only && ip.imdsV2Only), { message: 'imdsV1Only and imdsV2Only cannot both be true' })
  .optional()
