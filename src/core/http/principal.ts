/** Who is calling: set by the bearer guard on every /api request. */
export interface Principal {
  companyId: string;
  clientId: string;
  /** Null for a client_credentials token. */
  userId: string | null;
  username: string | null;
  scopes: string[];
  payloadEncryption: 'required' | 'optional' | 'off';
  /** AES key of the reference §1.5 wrapping; never serialized. */
  payloadKey: Buffer;
  /** The client may call the payout APIs (else EnKash's 403 "APIs not enabled"); read with the token. */
  payoutsEnabled: boolean;
}

/** Resolves a bearer token to a principal, or throws the Spring-shaped 401 (implemented by auth/oauth). */
export interface TokenVerifier {
  verifyAccessToken(token: string): Promise<Principal>;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
  interface FastifyContextConfig {
    /** The OAuth scope a route requires ('read' for reads, 'write' for writes). */
    scope?: string;
    /** Accept and answer the AES `{"request": ...}` wrapping per the client's setting (reference §1.5). */
    payloadEncryption?: boolean;
  }
}
