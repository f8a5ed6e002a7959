/** Time comes from a port so that domain rules and tests never depend on the wall clock directly. */
export abstract class Clock {
  abstract now(): Date;
}
