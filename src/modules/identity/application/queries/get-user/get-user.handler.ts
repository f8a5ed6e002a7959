import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { UserNotFoundError } from '../../../domain/identity.errors.js';
import { UserReadModel } from '../../ports/user-read-model.js';
import type { UserView } from '../../user-view.js';
import { GetUserQuery } from './get-user.query.js';

@QueryHandler(GetUserQuery)
export class GetUserHandler implements IQueryHandler<GetUserQuery> {
  constructor(private readonly readModel: UserReadModel) {}

  async execute(query: GetUserQuery): Promise<UserView> {
    const user = await this.readModel.findById(query.userId);
    if (user === undefined) throw new UserNotFoundError();
    return user;
  }
}
