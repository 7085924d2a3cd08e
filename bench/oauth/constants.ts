/** The one client of the oidc-provider baseline (shared by its server and the load generator). */
export const OIDC_CLIENT = { id: 'bench-client', secret: 'bench-client-secret-64b0ff0332f058b564' } as const;
