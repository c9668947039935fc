// Query.listItems: one page of a table scan (limit 20 by default, 100 at most).
import { util } from '@aws-appsync/utils';

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;

export function request(ctx) {
  const wanted = ctx.args.limit || DEFAULT_LIMIT;
  const request = { operation: 'Scan', limit: wanted > MAX_LIMIT ? MAX_LIMIT : wanted };
  if (ctx.args.nextToken) {
    request.nextToken = ctx.args.nextToken;
  }
  return request;
}

export function response(ctx) {
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
  return { items: ctx.result.items || [], nextToken: ctx.result.nextToken || null };
}
