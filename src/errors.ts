/** An error a user can act on: the message names the field, file or setting and what to do. */
export class ChainproofError extends Error {
  override name = 'ChainproofError'
}
