import { connect } from 'amqplib';

/** The RabbitMQ the tests publish to: TEST_BROKER_URL, or the one on the project machine. */
export const TEST_BROKER_URL = new URL(process.env.TEST_BROKER_URL ?? 'amqp://guest:guest@127.0.0.1:5672');

/**
 * RabbitMQ is a real dependency of the broker tests: CI starts it and sets REQUIRE_BROKER=1, so its absence fails
 * the run there; a developer without it sees those tests skipped.
 */
export async function brokerReachable(): Promise<boolean> {
  try {
    await (await connect(TEST_BROKER_URL.toString(), { timeout: 2_000 })).close();
    return true;
  } catch {
    if (process.env.REQUIRE_BROKER === '1') {
      throw new Error(`REQUIRE_BROKER=1 but RabbitMQ is not reachable at ${TEST_BROKER_URL.host}`);
    }
    return false;
  }
}
