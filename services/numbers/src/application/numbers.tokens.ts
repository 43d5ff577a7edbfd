/** The clock of the numbers service (`() => Date`); tests bind a fixed one. */
export const NUMBERS_CLOCK = Symbol('NUMBERS_CLOCK');
