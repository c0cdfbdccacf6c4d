// Preloaded with NODE_OPTIONS=--require: shifts this process's wall clock (Date) by
// SHIFT_DATE_MS, as a clock step or a suspended laptop would. performance.now() is untouched.
const shift = Number(process.env.SHIFT_DATE_MS ?? '0');
const RealDate = Date;
class ShiftedDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(RealDate.now() + shift);
    else super(...args);
  }
  static now() {
    return RealDate.now() + shift;
  }
}
globalThis.Date = ShiftedDate;
