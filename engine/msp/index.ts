/** Identities, signatures and MSPs for the simulated peers (Fabric msp/, bccsp/, internal/peer/gossip/mcs.go). */
export { deriveScalar, deriveKeyPair, publicKeyObject, P256_N, P256_HALF_N, type KeyPair } from './keys.js';
export { Signer, signDigest, highS } from './signer.js';
export { verifySignature, VerifyCache, SIGNATURE_INVALID } from './verify.js';
export { encodeSerializedIdentity, decodeSerializedIdentity, pemEncode, pemDecode } from './serialized.js';
export { identityString, pkiIdOfParts, type IdentityInfo, type SigningIdentity } from './identity.js';
export { OrgCA, type Validity, type Role } from './ca.js';
export { MSPRegistry, type RootCA } from './msp.js';
