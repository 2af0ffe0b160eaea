import { consumeBlockEvents } from '@chatroulette/blocks';
import type { RouletteContext } from '../context.js';
import { applyBlock } from '../use-cases/apply-block.js';

/** Auth's block events into this service's copy (user_blocks), which the matcher checks. */
export function consumeBlocks(ctx: RouletteContext) {
  return consumeBlockEvents({ nc: ctx.nc, subjects: ctx.subjects, service: 'roulette', log: ctx.log, apply: (e) => applyBlock(ctx, e) });
}
