import { type ChainFacts, isSet } from '../chain/facts.js'
import { modelChain } from '../chain/model.js'
import { createReport } from '../chain/report.js'
import { gatherFacts, homeOf } from '../probe/gather.js'
import { type RemoteProbeResult, probeRemoteEndpoints } from '../probe/remote.js'
import type { ChainLink, ChainReport } from '../types.js'
import { type Io, createSpinner } from './io.js'
import { type MachineSummary, summarizeMachine } from './machine.js'

/** Everything doctor and capture know of this machine. */
export interface Inspection {
  facts: ChainFacts
  remote?: RemoteProbeResult
  report: ChainReport
  summary: MachineSummary
  /** Doctor's own hints (what to check next), after the report's. */
  hints: string[]
}


/**
 * The model's reasons made precise with what the probe saw (why IMDS or the container endpoint
 * gave nothing), and with paths under HOME shown as `~/…`, as the hints show them.
 */
function withDetails(report: ChainReport, remote: RemoteProbeResult | undefined, home: string | undefined): ChainReport {
  const show = (text: string) => (home && home !== '/' ? text.split(home + '/').join('~/') : text)
  const links: ChainLink[] = report.links.map((link) => {
    if (link.source === 'instanceProfile' && remote?.imds && remote.imds.status !== 'ok' && link.status === 'absent') {
      return { ...link, reason: `the instance metadata service at ${remote.imds.endpoint}: ${remote.imds.detail}` }
    }
    if (link.source === 'container' && remote?.container && remote.container.status !== 'ok' && link.status === 'failed') {
      return { ...link, reason: `${show(link.reason)} (${remote.container.detail})` }
    }
    return { ...link, reason: show(link.reason) }
  })
  const summary: { winner?: ChainReport['winner']; shadowed: ChainReport['shadowed'] } = { shadowed: report.shadowed }
  if (report.winner) summary.winner = report.winner
  return createReport(report.sdk, links, report.hints, summary)
}

function doctorHints(summary: MachineSummary, facts: ChainFacts, probed: boolean): string[] {
  const env = facts.env
  const hints: string[] = []
  if (isSet(env.AWS_PROFILE) && !summary.profile.defined) {
    hints.push(`AWS_PROFILE=${env.AWS_PROFILE} names a profile that is in neither ${summary.files.credentials.path} nor ${summary.files.config.path}: fix the name or add the section.`)
  }
  if (isSet(env.AWS_ACCESS_KEY_ID) !== isSet(env.AWS_SECRET_ACCESS_KEY)) {
    hints.push(`Only ${isSet(env.AWS_ACCESS_KEY_ID) ? 'AWS_ACCESS_KEY_ID' : 'AWS_SECRET_ACCESS_KEY'} is set: the env link needs both (the JS SDK moves on; botocore and the CLI stop with an error).`)
  }
  if (isSet(env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI) && isSet(env.AWS_CONTAINER_CREDENTIALS_FULL_URI)) {
    hints.push('Both AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are set: the SDK uses RELATIVE_URI (169.254.170.2) and warns.')
  }
  for (const [name, file] of [
    ['AWS_SHARED_CREDENTIALS_FILE', summary.files.credentials],
    ['AWS_CONFIG_FILE', summary.files.config],
  ] as const) {
    if (file.from === name && !file.exists) hints.push(`${name}=${file.path} does not exist: the SDK reads nothing from it.`)
  }
  if (!probed) {
    const asks = [summary.container ? 'the container endpoint' : undefined, summary.imds.disabled ? undefined : 'the instance metadata service'].filter(Boolean)
    const what = asks.join(' and ')
    if (asks.length) hints.push(`${what.charAt(0).toUpperCase()}${what.slice(1)} ${asks.length > 1 ? 'were' : 'was'} not asked: run \`chainproof doctor --probe\` (one request per step, 300 ms timeout, no retries).`)
  }
  return hints
}

/**
 * Reads this machine the way the JS v3 chain would (gatherFacts), asks the remote endpoints
 * only with `probe`, and models the chain (modelChain).
 */
export async function inspectMachine(env: Readonly<Record<string, string | undefined>>, options: { probe: boolean; onStep?: (what: string) => void }): Promise<Inspection> {
  const remote = options.probe ? await probeRemoteEndpoints(env, options.onStep ? { onStep: options.onStep } : {}) : undefined
  const facts = await gatherFacts(env, remote ? { remote: remote.facts } : {})
  const report = withDetails(modelChain(facts), remote, homeOf(env))
  const summary = summarizeMachine(facts, remote)
  const inspection: Inspection = { facts, report, summary, hints: doctorHints(summary, facts, options.probe) }
  if (remote) inspection.remote = remote
  return inspection
}

/** inspectMachine with a progress line on a terminal (stderr) while endpoints are probed. */
export async function inspectWithProgress(io: Pick<Io, 'env' | 'stderrIsTTY'>, probe: boolean): Promise<Inspection> {
  const spinner = createSpinner(io.stderrIsTTY)
  try {
    return await inspectMachine(io.env, { probe, onStep: (what) => spinner.step(`${what}…`) })
  } finally {
    spinner.stop()
  }
}
