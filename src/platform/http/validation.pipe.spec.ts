import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Min, ValidateNested } from 'class-validator';
import { ValidationFailedError } from '../../shared/domain/domain-error.js';
import { NullClears } from './null-clears.js';
import { createValidationPipe } from './validation.pipe.js';

class Line {
  @IsString()
  productId: string;

  @IsInt()
  @Min(1)
  quantity: number;
}

class Price {
  @IsInt()
  amount: number;
}

class Note {
  @IsOptional()
  @IsString()
  text?: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => Price)
  price?: Price;
}

/** A PATCH body where `null` clears the limit (and only there). */
class Revision {
  @IsOptional()
  @NullClears()
  @IsInt()
  @Min(1)
  limit?: number | null;

  @IsOptional()
  @IsString()
  name?: string;
}

class Order {
  @ValidateNested({ each: true })
  @Type(() => Line)
  lines: Line[];

  @ValidateNested()
  @Type(() => Price)
  price: Price;
}

describe('the global validation pipe', () => {
  const pipe = createValidationPipe();
  const validate = (value: unknown) => pipe.transform(value, { type: 'body', metatype: Order });

  it('names nested fields by path and lists every violation, unknown properties included', async () => {
    const error = await validate({
      lines: [
        { productId: 'p1', quantity: 2 },
        { productId: 7, quantity: 0, colour: 'red' },
      ],
      price: { amount: 1.5 },
      coupon: 'FREE',
    }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ValidationFailedError);
    const fields = (error as ValidationFailedError).violations.map((violation) => violation.field).sort();
    expect(fields).toEqual(['coupon', 'lines[1].colour', 'lines[1].productId', 'lines[1].quantity', 'price.amount']);
  });

  it('hands custom parameter decorators (@CurrentUser()) back untouched, the same object, as ValidationPipe does', async () => {
    const principal = { id: 'u-1', roles: ['customer'], extra: null };
    const { ValidationPipe } = await import('@nestjs/common');
    const plain = new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true });
    for (const metatype of [Object, Order, undefined]) {
      expect(await pipe.transform(principal, { type: 'custom', metatype })).toBe(principal);
      expect(await plain.transform(principal, { type: 'custom', metatype })).toBe(principal);
    }
  });

  it('passes a valid body through as an instance of the DTO', async () => {
    const order = (await validate({ lines: [{ productId: 'p1', quantity: 1 }], price: { amount: 100 } })) as Order;
    expect(order).toBeInstanceOf(Order);
    expect(order.lines[0]).toBeInstanceOf(Line);
  });

  const fieldsOf = async (value: unknown, metatype: new () => object = Order) => {
    const error = await pipe.transform(value, { type: 'body', metatype }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ValidationFailedError);
    return (error as ValidationFailedError).violations;
  };

  it.each([null, undefined, [], [{ text: 'x' }], 42, 'text', true])(
    'refuses a body that is not a JSON object (%j) as one violation of `body`',
    async (body) => {
      expect(await fieldsOf(body, Note)).toEqual([{ field: 'body', message: 'must be a JSON object' }]);
    },
  );

  it('refuses null for an optional field, at any depth, which @IsOptional() alone would let through', async () => {
    expect(await fieldsOf({ text: null }, Note)).toEqual([{ field: 'text', message: 'must not be null' }]);
    expect(await fieldsOf({ price: { amount: null } }, Note)).toEqual([
      { field: 'price.amount', message: 'must be an integer number' },
    ]);
    expect(await fieldsOf({ text: 'x', price: null }, Note)).toEqual([{ field: 'price', message: 'must not be null' }]);
  });

  it('lists nulls together with every other invalid field, each field once', async () => {
    const fields = (await fieldsOf({ text: null, colour: null, price: { amount: 'x' } }, Note)).map(
      (violation) => violation.field,
    );
    expect(fields.sort()).toEqual(['colour', 'price.amount', 'text']);
  });

  it('still validates scalar and list bodies by their own pipes (no object rule for them)', async () => {
    await expect(pipe.transform('text', { type: 'body', metatype: String })).resolves.toBe('text');
    await expect(pipe.transform(null, { type: 'query', metatype: Note })).resolves.toBeInstanceOf(Note);
  });

  it('lets null through to the handler for a field that opts in with @NullClears(), and only there', async () => {
    const pipeline = (value: unknown) => pipe.transform(value, { type: 'body', metatype: Revision });
    await expect(pipeline({ limit: null })).resolves.toEqual(Object.assign(new Revision(), { limit: null }));
    await expect(pipeline({ limit: 3 })).resolves.toMatchObject({ limit: 3 });
    expect(await fieldsOf({ limit: 0 }, Revision)).toEqual([{ field: 'limit', message: 'must not be less than 1' }]);
    expect(await fieldsOf({ limit: null, name: null }, Revision)).toEqual([
      { field: 'name', message: 'must not be null' },
    ]);
  });
});
