/** The suite's counts, per spec file: what the docs table (docs/conformance.md) is generated from. */
import { CASES, NOT_EXPRESSIBLE } from './index.js'

export interface SpecCount {
  spec: string
  expressible: number
  agreeing: number
  gaps: number
  notExpressible: number
}

export function countsBySpec(): SpecCount[] {
  const rows = new Map<string, SpecCount>()
  const row = (spec: string) => rows.get(spec) ?? rows.set(spec, { spec, expressible: 0, agreeing: 0, gaps: 0, notExpressible: 0 }).get(spec)!
  for (const c of CASES) {
    const r = row(c.spec)
    r.expressible++
    if (c.gap) r.gaps++
    else r.agreeing++
  }
  for (const n of NOT_EXPRESSIBLE) row(n.spec).notExpressible += n.rows ?? 1
  return [...rows.values()]
}

/** The markdown table between the `conformance:counts` markers of docs/conformance.md. */
export function countsTable(): string {
  const rows = countsBySpec()
  const total = rows.reduce((t, r) => ({ expressible: t.expressible + r.expressible, agreeing: t.agreeing + r.agreeing, gaps: t.gaps + r.gaps, notExpressible: t.notExpressible + r.notExpressible }), { expressible: 0, agreeing: 0, gaps: 0, notExpressible: 0 })
  const line = (name: string, r: Omit<SpecCount, 'spec'>) => `| ${name} | ${r.expressible + r.notExpressible} | ${r.expressible} | ${r.agreeing} | ${r.gaps} | ${r.notExpressible} |`
  return [
    '| spec file | rows | expressible (cases) | chainproof agrees | gap (it.fails) | not expressible |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => line(`\`${r.spec}\``, r)),
    line('**total**', total),
  ].join('\n')
}

/** Each gap case, by the gap it names. */
export function gapList(): string {
  const gaps = CASES.filter((c) => c.gap)
  if (gaps.length === 0) return '_None: every expressible case agrees._'
  return gaps.map((c) => `- \`${c.spec}\` — ${c.title}: ${c.gap}`).join('\n')
}

/** The issue-13 gaps the brief named, and how many cases exercise each (agreeing or not). */
export function issue13Table(): string {
  const profiles = (c: (typeof CASES)[number]) => Object.values(c.world.profiles ?? {}) as Record<string, unknown>[]
  const success = (c: (typeof CASES)[number]) => ('source' in c.expect ? c.expect : undefined)
  const rows: [string, (c: (typeof CASES)[number]) => boolean][] = [
    ['raw-ini role profile attributed to its profile (`files` with `role_arn`, resolution names the profile)', (c) => /role_arn/.test(c.world.files?.config ?? '') && success(c)?.source === 'profile' && success(c)?.profile !== undefined],
    ['raw `credential_process` reported as `process`', (c) => /credential_process/.test(c.world.files?.config ?? '') && success(c)?.source === 'process'],
    ['static keys in ~/.aws/config (`profiles.x.user` with `in: \'config\'`)', (c) => profiles(c).some((p) => p.in === 'config')],
    ['STS signing region (`RecordedRequest.region`, `toHaveReceivedRequestsSignedBy({ region })`)', (c) => success(c)?.stsRegion !== undefined || success(c)?.signedRegion !== undefined],
    ['`sso.region` apart from the profile region', (c) => profiles(c).some((p) => typeof (p.sso as { region?: string } | undefined)?.region === 'string')],
    ['`instanceProfile.region` apart from AWS_REGION', (c) => c.world.instanceProfile?.region !== undefined],
    ['the `login` source (`profiles.x.login`, its cache, the loopback Signin endpoint and the `login` faults)', (c) => profiles(c).some((p) => p.login !== undefined)],
    ['`container.uri: \'relative\'` (the SDK asks 169.254.170.2, routed to loopback)', (c) => c.world.container?.uri === 'relative'],
    ['`instanceProfile.endpoint: \'linkLocal\'` (the SDK asks 169.254.169.254 or [fd00:ec2::254], routed)', (c) => c.world.instanceProfile?.endpoint === 'linkLocal'],
    ['a container URL the SDK refuses (expressible, never contacted)', (c) => /^http:\/\/(?!127\.|localhost)/.test(c.world.vars?.AWS_CONTAINER_CREDENTIALS_FULL_URI ?? '')],
  ]
  return [
    '| issue-13 gap | cases exercising it | of which `gap` |',
    '| --- | ---: | ---: |',
    ...rows.map(([name, uses]) => {
      const cases = CASES.filter(uses)
      return `| ${name} | ${cases.length} | ${cases.filter((c) => c.gap).length} |`
    }),
  ].join('\n')
}
