/**
 * The same story for a database: the service logs in to RDS with an IAM auth token, and the
 * default chain decides which identity signs it. Signing is offline: nothing is contacted.
 */
const { Signer } = require('@aws-sdk/rds-signer')

function databaseAuthToken() {
  return new Signer({ hostname: 'orders.cluster-abc.us-east-1.rds.amazonaws.com', port: 5432, username: 'orders_app', region: 'us-east-1' }).getAuthToken()
}

module.exports = { databaseAuthToken }
