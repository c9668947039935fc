// Mutation.putItem: create the item (generated id when none is given) or
// update its name and description; createdAt is kept from the first write.
import { util } from '@aws-appsync/utils';

export function request(ctx) {
  const input = ctx.args.input;
  const now = util.time.nowISO8601();
  return {
    operation: 'UpdateItem',
    key: util.dynamodb.toMapValues({ id: input.id || util.autoId() }),
    update: {
      expression: 'SET #name = :name, #description = :description, '
        + '#createdAt = if_not_exists(#createdAt, :now), #updatedAt = :now',
      expressionNames: {
        '#name': 'name',
        '#description': 'description',
        '#createdAt': 'createdAt',
        '#updatedAt': 'updatedAt',
      },
      expressionValues: util.dynamodb.toMapValues({
        ':name': input.name,
        ':description': input.description === undefined ? null : input.description,
        ':now': now,
      }),
    },
  };
}

export function response(ctx) {
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
  return ctx.result;
}
