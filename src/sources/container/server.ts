import { headerOf, isoSeconds, json, type Route } from '../../servers/http.js'

/**
 * The container credentials endpoint (ECS task role / EKS pod identity) as
 * `@aws-sdk/credential-provider-http` `fromHttp` reads it through
 * `AWS_CONTAINER_CREDENTIALS_FULL_URI`: one GET on the world's path, guarded by the
 * `Authorization` token when the world has one.
 */
export const containerRoutes: readonly Route[] = [
  {
    name: 'container.credentials',
    method: 'GET',
    path: /\/.*/,
    fetch: () => ({ source: 'container', step: 'credentials' }),
    handle(request, world) {
      const container = world.container
      if (!container || request.path !== container.path) {
        return json(404, { Code: 'NotFound', Message: 'No container credentials at this path.' })
      }
      if (container.authToken !== undefined) {
        const authorization = headerOf(request, 'authorization')
        if (authorization === undefined) {
          return json(401, { Code: 'Unauthorized', Message: 'The Authorization header is missing; set AWS_CONTAINER_AUTHORIZATION_TOKEN or AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE.' })
        }
        // The message never echoes either token.
        if (authorization !== container.authToken) {
          return json(403, { Code: 'AccessDenied', Message: 'The Authorization header does not match the token of this container.' })
        }
      }
      const issued = container.credentials()
      const reply = json(200, {
        AccessKeyId: issued.accessKeyId,
        SecretAccessKey: issued.secretAccessKey,
        Token: issued.sessionToken ?? '',
        Expiration: isoSeconds(issued.expiration ?? new Date(Date.now() + 6 * 3600_000)),
        AccountId: issued.accountId,
        RoleArn: issued.roleArn ?? '',
      })
      return { ...reply, record: { fetch: { source: 'container', step: 'credentials', accessKeyId: issued.accessKeyId } } }
    },
  },
]
