/**
 * The claims every verifier holds a token to, shared by the issuer (auth) and every verifier so
 * they cannot disagree: who issued it, for whom, and the longest life a token may claim.
 */
export const TOKEN_ISSUER = 'chatroulette-auth';
export const TOKEN_AUDIENCE = 'chatroulette';
/** exp - iat of an accepted token is at most this (auth's TOKEN_TTL_SECONDS cannot exceed it). */
export const TOKEN_MAX_LIFETIME_SECONDS = 7 * 86_400;
/**
 * The claim (`true`) of a token issued by the original product's login routes: on the few paths where
 * the original answered another shape than ours (the chat and message lists), such a token gets the
 * original's, so its clients run unchanged while every other client keeps ours.
 */
export const LEGACY_CLAIM = 'legacy';
