/**
 * `chainproof/testcontainers`: a credential world served by `chainproof serve` in a container
 * (image built locally: a Node runtime and the package's self-contained dist/world-server.cjs,
 * no node_modules; cached by content), for services that run in their
 * own process or container. Needs the optional peer `testcontainers` (≥ 11) and a container
 * engine.
 */
export { CredentialWorldContainer, StartedCredentialWorldContainer } from './testcontainers/world-container.js'
export type { CredentialWorldContainerOptions } from './testcontainers/world-container.js'
export { containerEngine } from './testcontainers/engine.js'
export type { ContainerEngine } from './testcontainers/engine.js'
export { buildAppImage, buildNodeImage, imageInfo, removeImage, NODE_BASE_IMAGE } from './testcontainers/image.js'
export type { AppContent, BuiltImage, ImageBase, NodeImageOptions } from './testcontainers/image.js'
export { PORT_OFFSETS } from './testcontainers/ports.js'
