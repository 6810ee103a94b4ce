import { activeProfileOf, isSet, profileSettings } from '../../chain/facts.js'
import type { ProfileSettings } from '../../chain/facts.js'
import { describeIdentity, errorMessage, fromError, processFailure, tryNextLink } from '../../probe/link-kit.js'
import { sdkLinks, silentLogger } from '../../probe/sdk.js'
import type { SourceDefinition } from '../kit.js'
import { planProcess } from './plan.js'
import { processRoutes } from './server.js'

export const isProcess = (p: ProfileSettings) => isSet(p.credential_process)

/** credential_process: a profile's command that prints credentials (fromIni runs it, and so does its own link, fromProcess). */
export const processSource: SourceDefinition = {
  source: 'process',
  link: {
    name: 'fromProcess',
    after: ['profile'],
    model(facts) {
      const active = activeProfileOf(facts)
      const p = profileSettings(facts, active.name)
      if (!p || !isProcess(p)) return { kind: 'absent', reason: `profile "${active.name}" has no credential_process` }
      return { kind: 'available', mechanism: 'process', key: `process:${active.name}`, profile: active.name, reason: `profile "${active.name}" has credential_process` }
    },
    async probe(ctx, facts, earlier) {
      const profile = activeProfileOf(ctx)
      if (ctx.known?.filesAsWritten) {
        // files as the world wrote them: fromProcess would fail before running anything ("could not be found", "did not contain credential_process")
        const settings = profileSettings(facts, profile.name)
        if (!settings && profile.name !== 'default') return { kind: 'absent', reason: `profile "${profile.name}" is not defined, so it has no credential_process` }
        if (!settings || settings.credential_process === undefined) return { kind: 'absent', reason: `profile "${profile.name}" has no credential_process` }
      }
      const viaProfile = earlier.get('profile')
      if (viaProfile?.kind === 'available' && viaProfile.mechanism === 'process') {
        // The profile link already ran this profile's credential_process: running it again would
        // print the same keys, at the cost of a process spawn (the bulk of a report's time).
        const { credentials } = viaProfile
        return { kind: 'available', credentials, mechanism: 'process', ...(viaProfile.profile !== undefined ? { profile: viaProfile.profile } : {}), reason: `profile "${profile.name}" has credential_process: ${describeIdentity(ctx.identify(credentials.accessKeyId), credentials)}` }
      }
      try {
        const init: Record<string, unknown> = { logger: silentLogger }
        if (ctx.clientProfile) init.profile = ctx.clientProfile
        const credentials = await sdkLinks().fromProcess(init)()
        return { kind: 'available', credentials, reason: `profile "${profile.name}" has credential_process: ${describeIdentity(ctx.identify(credentials.accessKeyId), credentials)}` }
      } catch (error) {
        const failedProcess = tryNextLink(error) ? processFailure(error, ctx, profile.name) : undefined
        if (failedProcess) return { kind: 'absent', reason: failedProcess }
        const undefinedProfile = profile.name !== 'default' && /could not be found/.test(errorMessage(error))
        return fromError(error, ctx, `profile "${profile.name}" ${undefinedProfile ? 'is not defined, so it has no' : 'has no'} credential_process`)
      }
    },
  },
  profileBranches: [
    {
      branch: 'process',
      source: 'process',
      order: 40,
      codes: ['v', 'w'],
      words: 'ran credential_process',
      settings: 'credential_process',
      matches: isProcess,
      resolve: (_facts, name) => ({ ok: true, mechanism: 'process', key: `process:${name}`, what: 'credential_process' }),
      removal: (section) => `remove credential_process from ${section('config')}`,
    },
  ],
  features: [
    { code: 'v', rank: 0 },
    { code: 'w', rank: 70 },
  ],
  plan: { profile: planProcess },
  stsRoutes: processRoutes,
}
