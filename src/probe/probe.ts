import type { ChainReport, CredentialTarget, Identity, Resolution, SdkName, Source } from '../types.js'
import { ChainproofError } from '../errors.js'
import { auditResolved } from '../audit.js'
import { maskKeyId, scrubSecrets } from '../chain/mask.js'
import { activeWorld, registerExplainer, type WorldImpl } from '../world/world.js'
import { type ProbeContext, probeChain } from './links.js'
import type { KnownOutcomes } from './link-kit.js'
import type { Credentials } from './sdk.js'
import type { ProbeOutcome, ResolvedIdentity } from './outcome.js'
import { sourceFromFeatures } from './features.js'
import { PROFILE_BRANCHES } from '../sources/index.js'
import { type FileStamps, gatherFacts, stampsOf } from './gather.js'
import { type ChainFacts, activeProfileOf } from '../chain/facts.js'
import { attributeCredentials, branchOfFeatures } from '../chain/attribution.js'
import { modelChain } from '../chain/model.js'
import { credentialsOfTarget } from './target.js'
import { annotateReport } from './annotations.js'
import './fetch-annotation.js'
import { type ModelOptions, SDK_NAMES, isSdkName, modelChainFor } from '../chain/sdks/index.js'
import { withSdkFiles } from './sdk-facts.js'
import type { FaultSpec } from '../fault-types.js'

function requireWorld(what: string): WorldImpl {
  const world = activeWorld()
  if (!world) {
    throw new ChainproofError(
      `${what} needs an active credential world: create one with createCredentialWorld(spec) or useCredentialWorld() from chainproof/vitest or chainproof/jest. ` +
        'chainproof never resolves against the real machine in a test.',
    )
  }
  return world
}

function contextOf(world: WorldImpl, clientProfile: string | undefined, facts: ChainFacts, resolved?: Resolved): ProbeContext {
  const ctx: ProbeContext = {
    env: process.env,
    identify: (accessKeyId) => world.identityOf(accessKeyId),
    scrub: (message) => scrubSecrets(message, world.ledger.secrets()),
    fired: () => world.server.faults?.fired ?? [],
  }
  if (clientProfile !== undefined) ctx.clientProfile = clientProfile
  // A world with faults is asked link by link, in order, every time: a fault counts requests.
  if (!world.spec.faults?.length) {
    const known: KnownOutcomes = { concurrent: true }
    if (!world.server.instanceProfile) known.imdsWithoutRole = world.endpoints.imds
    if (resolved !== undefined) known.resolved = resolved
    if (filesAsWritten(world, stampsOf(facts))) known.filesAsWritten = true
    ctx.known = known
  }
  return ctx
}

/** Credentials the resolution got, and the link of the default chain whose provider produced them. */
type Resolved = { source: Source; credentials: Credentials }

/**
 * The `$source` codes each link's SDK provider sets, exactly, when it produces credentials on
 * its own: fromEnv `g`; fromIni static keys `n`, credential_process `v w`, SSO `r s`, web
 * identity `q k`, login `AC AD`; fromTokenFile `h k`; fromHttp `z`; IMDS `0`. Any other set
 * (a role assumed, a provider wrapped by another, such as fromTemporaryCredentials) is asked again.
 */
const LINK_CODES: ReadonlyArray<readonly [source: Source, codes: string, mechanism: Source]> = [
  ['env', 'g', 'env'],
  ['profile', 'n', 'profile'],
  ['profile', 'v w', 'process'],
  ['profile', 'r s', 'sso'],
  ['profile', 'k q', 'webIdentity'],
  ['profile', 'AC AD', 'login'],
  ['webIdentity', 'h k', 'webIdentity'],
  ['container', 'z', 'container'],
  ['instanceProfile', '0', 'instanceProfile'],
  // @smithy/credential-provider-imds sets no code of its own in the SDK releases that do not have `0`
  ['instanceProfile', '', 'instanceProfile'],
]
/** Codes that say something of the credentials, not of the provider (`T`: the account id was resolved). */
const NOT_A_PROVIDER = new Set(['T'])
/** Sources whose link gives keys of no profile. */
const DIRECT: readonly Source[] = ['env', 'container', 'instanceProfile']

/** The entry of LINK_CODES the credentials match: their codes exactly, for the source the world issued them for. */
function directLink(credentials: Credentials, identity: { source: Source }): (typeof LINK_CODES)[number] | undefined {
  const codes = providerCodes(credentials.$source)
  return LINK_CODES.find(([, c, mechanism]) => c === codes && mechanism === identity.source)
}

/** The provider codes of a `$source` record, distinct, sorted, space-separated (`v w`). */
function providerCodes(features: Readonly<Record<string, string>> | undefined): string {
  const values = features ? Object.values(features) : []
  // the common case, one code: no set, no sort
  if (values.length === 1) return NOT_A_PROVIDER.has(values[0]!) ? '' : values[0]!
  return [...new Set(values)].filter((code) => !NOT_A_PROVIDER.has(code)).sort().join(' ')
}

/**
 * The link a resolution's credentials came from, when the report may take them instead of asking
 * that link again: the codes are exactly that provider's, the world issued them for that source
 * (and for the profile the report reads), and they are still its newest (no refresh or rotation since).
 */
function resolvedLink(world: WorldImpl, credentials: Credentials, identity: Identity | undefined, reportProfile: string): Resolved | undefined {
  if (!identity || !world.ledger.isLatest(credentials.accessKeyId)) return undefined
  const entry = directLink(credentials, identity)
  if (!entry) return undefined
  if (entry[0] === 'profile' && identity.profile !== reportProfile) return undefined
  return { source: entry[0], credentials }
}

/** An sdk option that names no modelled SDK is a user error that lists the valid names. */
function checkSdk(sdk: SdkName | undefined): void {
  if (sdk !== undefined && !isSdkName(sdk)) {
    throw new ChainproofError(`sdk ${JSON.stringify(sdk)}: unknown SDK. Valid names: ${SDK_NAMES.join(', ')}.`)
  }
}

/** Whether the shared files, by these stamps, are the ones the world wrote, unchanged since. */
function filesAsWritten(world: WorldImpl, stamps: FileStamps): boolean {
  return Object.entries(stamps).every(([path, stamp]) => world.sharedFileStamps.get(path) === stamp)
}

/** The facts of a world as the static model sees them: its files, its variables, and what its endpoints serve. */
export async function factsOfWorld(world: WorldImpl, clientProfile?: string): Promise<ChainFacts> {
  const remote: Pick<ChainFacts, 'container' | 'imds'> = {
    container: world.server.container ? {} : null,
    imds: world.server.instanceProfile ? { role: world.server.instanceProfile.roleName } : null,
  }
  const server = world.server.parts ?? {}
  const asWritten = (stamps: FileStamps) => filesAsWritten(world, stamps)
  const facts = await gatherFacts(process.env, clientProfile === undefined ? { remote, server, asWritten } : { clientProfile, remote, server, asWritten })
  return world.spec.faults?.length ? { ...facts, faults: world.spec.faults as readonly FaultSpec[] } : facts
}

async function explainWorld(world: WorldImpl, clientProfile: string | undefined, known: { facts?: ChainFacts; resolved?: Resolved } = {}): Promise<ChainReport> {
  const facts = known.facts ?? (await factsOfWorld(world, clientProfile))
  const report = await world.quietly(() => probeChain(contextOf(world, clientProfile, facts, known.resolved), facts))
  return await annotateReport(report, { world, env: process.env, ...(clientProfile !== undefined ? { clientProfile } : {}) })
}

/** The static model's report of the active world (nothing is run): what `explain` of a scenario file shows. */
export async function modelActiveWorld(clientProfile?: string): Promise<ChainReport> {
  return modelChain(await factsOfWorld(requireWorld('modelling the chain'), clientProfile))
}

/**
 * The report of another SDK's chain in a world: its static model over the world's facts (the
 * JS chain itself is probed link by link; other SDKs cannot run in this process).
 */
export async function modelWorldFor(sdk: SdkName, clientProfile?: string, options: ModelOptions = {}): Promise<ChainReport> {
  checkSdk(sdk)
  const facts = await withSdkFiles(await factsOfWorld(requireWorld(`modelling the ${sdk} chain`), clientProfile))
  return modelChainFor(sdk, facts, options)
}

registerExplainer(async (world, target, options) => {
  checkSdk(options.sdk)
  let clientProfile: string | undefined
  if (target !== undefined) {
    const value = (await target) as { config?: { profile?: unknown } } | null
    if (value && typeof value.config?.profile === 'string') clientProfile = value.config.profile
  }
  if (options.sdk === undefined || options.sdk === 'js-v3') return await explainWorld(world, clientProfile)
  return modelChainFor(options.sdk, await withSdkFiles(await factsOfWorld(world, clientProfile)))
})

/**
 * Resolves a target's credentials in the active world and names them through the world's
 * ledger. The chain report is computed only when asked for (it runs every link).
 */
export async function probe(target: CredentialTarget): Promise<ProbeOutcome> {
  const world = requireWorld('resolving credentials')
  let clientProfile: string | undefined
  /** A profile the credentials came from that the default chain would not read here (the target was given a provider for it), and the one it reads. */
  let explicit: { profile: string; chainReads: { name: string; from: string } } | undefined
  /** What the resolution learned that the report need not learn again: the facts of the files (read for attribution), the link that gave the credentials. */
  let facts: ChainFacts | undefined
  /** The link that gave the credentials, worked out when a report is asked for (a passing assertion never asks). */
  let resolvedOf: (() => Resolved | undefined) | undefined
  const report = async () => {
    const resolved = resolvedOf?.()
    if (explicit === undefined) return await explainWorld(world, clientProfile, { ...(facts ? { facts } : {}), ...(resolved ? { resolved } : {}) })
    const { profile: explicitProfile, chainReads } = explicit
    const shown = await explainWorld(world, explicitProfile, resolved ? { resolved } : {})
    shown.hints.unshift(
      `These credentials came from profile "${explicitProfile}", which the default chain does not read here (it reads "${chainReads.name}", ${chainReads.from}): ` +
        `the target was given a provider for that profile (such as fromIni({ profile: '${explicitProfile}' })). The report shows the chain as if that profile were selected.`,
    )
    return shown
  }
  const scrub = (message: string) => scrubSecrets(message, world.ledger.secrets())
  try {
    const found = await credentialsOfTarget(target)
    clientProfile = found.profile
    const { credentials } = found
    auditResolved(credentials.accessKeyId)
    const features: Record<string, string> = { ...(credentials.$source ?? {}) }
    const featureSource = sourceFromFeatures(features)
    const identity = world.identityOf(credentials.accessKeyId)
    const inCode = found.passedInCode || featureSource === 'code'
    // the profile the default chain reads here (the client's option, AWS_PROFILE, or default)
    const chainReads = activeProfileOf({ env: process.env, ...(clientProfile !== undefined ? { clientProfile } : {}) })
    // The ledger names what the world issued; what it cannot name (keys written as raw ini, a
    // role a raw-ini profile assumed) the model of the files attributes, checked by $source.
    // Keys straight from the env, container or IMDS link (exactly that provider's $source codes, issued by the world for that
    // source) belong to no profile: nothing for the files to attribute.
    const direct = identity !== undefined && DIRECT.includes(identity.source) && directLink(credentials, identity) !== undefined
    const attribution =
      inCode || direct || (identity?.profile !== undefined && identity.source !== 'sso')
        ? undefined
        : attributeCredentials({
            accessKeyId: credentials.accessKeyId,
            identity,
            features,
            facts: (facts = await factsOfWorld(world, clientProfile)),
            active: chainReads.name,
          }, PROFILE_BRANCHES)
    if (!identity && !inCode && !attribution) throw foreignCredentials(credentials.accessKeyId, features, clientProfile)
    const source: Source = inCode ? 'code' : (attribution?.source ?? identity!.source)
    const profile = inCode ? undefined : (attribution?.profile ?? identity?.profile)
    const resolution: ResolvedIdentity = {
      source,
      principal:
        identity?.principal ??
        (inCode ? 'unknown: credentials passed in code that this world never issued' : `unknown: credentials of profile "${profile}" (it ${attribution!.via}) that this world never issued`),
      accessKeyId: credentials.accessKeyId,
      features,
    }
    if (profile !== undefined) resolution.profile = profile
    if (profile !== undefined && profile !== chainReads.name) explicit = { profile, chainReads }
    resolvedOf = () => resolvedLink(world, credentials, identity, explicit?.profile ?? chainReads.name)
    if (identity?.role !== undefined) resolution.role = identity.role
    const expiration = credentials.expiration ?? identity?.expiration
    if (expiration) resolution.expiration = expiration
    const disagreements: string[] = []
    if (featureSource && featureSource !== resolution.source) {
      disagreements.push(`the SDK's $source codes (${Object.values(features).join(',')}) point to ${featureSource}, but the world's ${identity ? 'ledger' : 'files'} say${identity ? 's' : ''} ${resolution.source}`)
    }
    if (disagreements.length) resolution.disagreements = disagreements
    return { ok: true, resolution, report }
  } catch (error) {
    const message = scrub(error instanceof Error ? error.message : String(error))
    return { ok: false, error, message, report }
  }
}

/** Credentials that neither the ledger nor the world's files account for: an error that says where they may have come from. */
function foreignCredentials(accessKeyId: string, features: Record<string, string>, clientProfile: string | undefined): ChainproofError {
  const key = maskKeyId(accessKeyId)
  const branch = branchOfFeatures(features, PROFILE_BRANCHES)
  if (branch && branch.source !== 'profile') {
    const profile = activeProfileOf({ env: process.env, ...(clientProfile !== undefined ? { clientProfile } : {}) }).name
    return new ChainproofError(
      `the credentials resolved (${key}) came from a profile that ${branch.words} (the SDK's $source codes say so), but profile "${profile}" has no such settings and this world did not issue them, ` +
        `so chainproof cannot name their principal: give a profile the ${branch.source} settings in the spec (profiles.<name>.${branch.source}) instead of raw ini text.`,
    )
  }
  return new ChainproofError(
    `the credentials resolved (${key}) were not issued by this world: they came from outside it. ` +
      'Create the client after the world (clients memoize credentials), and do not pass real credentials to it.',
  )
}

/** Resolves a target's credentials in the active world: source, profile, principal, role and the chain report. */
export async function resolveCredentials(target: CredentialTarget): Promise<Resolution> {
  const outcome = await probe(target)
  if (!outcome.ok) {
    const error = new ChainproofError(`could not resolve credentials: ${outcome.message}`, { cause: outcome.error })
    ;(error as ChainproofError & { report?: ChainReport }).report = await outcome.report()
    throw error
  }
  return { ...outcome.resolution, report: await outcome.report() }
}
