/**
 * The claims every verifier holds a token to, shared by the issuer (auth) and every verifier so
 * they cannot disagree: who issued it, for whom, and the longest life a token may claim.
 */
export const TOKEN_ISSUER = 'chatroulette-auth';
export const TOKEN_AUDIENCE = 'chatroulette';
/** exp - iat of an accepted token is at most this (auth's TOKEN_TTL_SECONDS cannot exceed it). */
export const TOKEN_MAX_LIFETIME_SECONDS = 7 * 86_400;
