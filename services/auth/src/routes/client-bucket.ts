import type { Request } from 'express';
import { addressBucket, clientAddress } from '@chatroulette/http';
import type { AuthContext } from '../context.js';

/** The key a client's address is counted under: the gateway's forwarded address (IPv6 by /64). */
export const clientBucket = (ctx: AuthContext, req: Request) => addressBucket(clientAddress(req, ctx.cfg.trustedProxies));
