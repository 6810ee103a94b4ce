import { describeRoundTrips } from './round-trip.js'

describeRoundTrips(0, 2)
