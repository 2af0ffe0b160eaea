import type { RequestHandler } from 'express';
import { passwordChangeBody } from '@chatroulette/contracts';
import { currentUser, parseInput } from '@chatroulette/http';
import { changePassword } from '../use-cases/sessions.js';
import type { AuthContext } from '../context.js';

/** PUT /api/v1/auth/password {current_password, new_password} -> 200 {token, expires_at}; 401 wrong current password; 400 invalid new one */
export const changePasswordRoute =
  (ctx: AuthContext): RequestHandler =>
  async (req, res) => {
    const body = parseInput(passwordChangeBody, req.body);
    res.json(await changePassword(ctx, currentUser(req), body));
  };
