// Collects what a check found and ends the process non-zero if anything was.
export class Findings {
  constructor(subject) {
    this.subject = subject;
    this.problems = [];
  }

  add(message) {
    this.problems.push(message);
  }

  /** Records a problem unless the condition holds. */
  expect(condition, message) {
    if (!condition) this.add(message);
  }

  finish(summary) {
    if (this.problems.length > 0) {
      for (const problem of this.problems) console.error(`${this.subject}: ${problem}`);
      console.error(`${this.subject}: ${this.problems.length} problem(s)`);
      process.exitCode = 1;
    } else {
      console.log(`${this.subject}: ok (${summary})`);
    }
  }
}
