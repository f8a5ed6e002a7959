import { Type } from 'class-transformer';
import { IsInt, IsString, Min, ValidateNested } from 'class-validator';
import { ValidationFailedError } from '../../shared/domain/domain-error.js';
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

  it('passes a valid body through as an instance of the DTO', async () => {
    const order = (await validate({ lines: [{ productId: 'p1', quantity: 1 }], price: { amount: 100 } })) as Order;
    expect(order).toBeInstanceOf(Order);
    expect(order.lines[0]).toBeInstanceOf(Line);
  });
});
