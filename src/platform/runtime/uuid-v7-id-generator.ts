import { Injectable } from '@nestjs/common';
import { v7 } from 'uuid';
import { IdGenerator } from '../../shared/application/id-generator.js';

/** RFC 9562 UUID v7: time-ordered, so new rows append to the primary-key index and ids sort by creation. */
@Injectable()
export class UuidV7IdGenerator extends IdGenerator {
  next(): string {
    return v7();
  }
}
