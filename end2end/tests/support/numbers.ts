/** Identity numbers for test data: the Luhn check digit Swedish numbers end with. */

/** The check digit that makes `nine` digits and it pass the Luhn test. */
export function luhnDigit(nine: string): string {
  for (let check = 0; check < 10; check++) {
    const digits = nine + String(check);
    let sum = 0;
    for (let i = 0; i < digits.length; i++) {
      let d = Number(digits[digits.length - 1 - i]);
      if (i % 2 === 1) d *= 2;
      sum += d > 9 ? d - 9 : d;
    }
    if (sum % 10 === 0) return String(check);
  }
  throw new Error("no check digit");
}

/** A valid personnummer (twelve digits, Luhn) for a birth date YYYYMMDD and a serial. */
export function personnummer(birth: string, serial: number): string {
  const nine = birth.slice(2) + String(serial % 1000).padStart(3, "0");
  return `${birth.slice(0, 2)}${nine}${luhnDigit(nine)}`;
}

/** A valid organisation number NNNNNN-NNNN (Luhn), from a number. */
export function orgNumber(n: number): string {
  const nine = "5" + String(n % 100_000_000).padStart(8, "0");
  const ten = nine + luhnDigit(nine);
  return `${ten.slice(0, 6)}-${ten.slice(6)}`;
}
