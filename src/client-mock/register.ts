/** Registers the client-mock report annotations (idempotent: imported by several entries). */
import { registerReportAnnotator } from '../probe/annotations.js'
import { stsMockHints } from './sts-hint.js'

registerReportAnnotator('client-mock.mocked-sts', (ctx) => stsMockHints(ctx))
