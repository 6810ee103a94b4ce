import { describeRoundTrips } from './round-trip.js'

describeRoundTrips(1, 2)
