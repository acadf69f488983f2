// Ends a vitest run with one plain line, `tests: N passed, N failed, N skipped`, that any CI can
// read whatever runner it knows.
export default class SummaryReporter {
  onFinished(files = [], errors = []) {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    const visit = (task) => {
      if (task.type === "suite" || task.tasks) {
        for (const child of task.tasks ?? []) visit(child);
        return;
      }
      const state = task.result?.state;
      if (state === "pass") counts.passed++;
      else if (state === "fail") counts.failed++;
      else counts.skipped++;
    };
    for (const file of files) {
      if (file.result?.state === "fail" && (file.tasks ?? []).length === 0) counts.failed++;
      visit(file);
    }
    counts.failed += errors.length;
    console.log(
      `\ntests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`,
    );
  }
}
