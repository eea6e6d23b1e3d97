package dev.moire.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moire.model.findings.Certainty;
import dev.moire.model.findings.Finding;
import dev.moire.model.findings.FindingKind;
import dev.moire.runtime.store.MoireStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The Markdown summary beside the report: one line per failing test, for CI. */
@Timeout(120)
final class SummaryPageTest {
  @TempDir Path dir;

  @Test
  void aStoredDeadlock_isOneLine_findingSentenceAndPage() throws Exception {
    Path db = dir.resolve("moire.db");
    long id = Deadlocks.store(db, "accounts", "audit");
    try (MoireStore store = MoireStore.openReadOnly(db)) {
      MoireReport.refresh(store, dir.resolve("report"));
    }
    List<String> lines = Files.readAllLines(dir.resolve("report").resolve(MoireReport.SUMMARY));
    assertThat(lines.get(0)).isEqualTo("# moire: 1 failing test (store moire.db)");
    assertThat(lines.get(1)).isEmpty();
    assertThat(lines.get(2))
        .startsWith(
            "- **deadlock cycle** `BankTest > transfer()`: moire found a deadlock: thread"
                + " 'worker-")
        .contains("lock 'accounts'", "lock 'audit'")
        .endsWith("([page](snapshot-" + id + ".html))");
    assertThat(lines).hasSize(3);
  }

  @Test
  void passingTestsAreLeftOut_andTheTextCannotBreakTheMarkdown() {
    IndexPage.Row passed = row("A > ok()", "passed", "", "3 ms", 1, "snapshot-1.html", List.of());
    IndexPage.Row timeout =
        row(
            "B > slow()",
            "timeout",
            "java.util.concurrent.TimeoutException: slow() timed out after 5 seconds\nmore",
            "5 s",
            2,
            "snapshot-2.html",
            List.of());
    IndexPage.Row odd =
        row(
            "C > <init>()",
            "failure",
            "dev.moire.runtime.DeadlockDetectedError: a *lock* [x] <b>",
            "1 ms",
            2,
            "snapshot-3.html",
            List.of(
                new Finding(
                    FindingKind.GLOBAL_STALL, Certainty.CERTAIN, List.of(), List.of(), "stuck"),
                new Finding(
                    FindingKind.LOST_SENDER, Certainty.CERTAIN, List.of(), List.of(), "[x]")));
    assertThat(SummaryPage.render("t", List.of(passed, timeout, odd)))
        .isEqualTo(
            "# moire: 2 failing tests (t)\n\n"
                + "- **timeout** `B > slow()`: slow() timed out after 5 seconds"
                + " ([page](snapshot-2.html))\n"
                + "- **lost sender** `C > <init>()`: a \\*lock\\* \\[x\\] &lt;b&gt;"
                + " ([page](snapshot-3.html))\n");
    assertThat(SummaryPage.render("t", List.of(passed)))
        .isEqualTo("# moire: no failing test (t)\n");
  }

  private static IndexPage.Row row(
      String test,
      String reason,
      String message,
      String duration,
      int entities,
      String page,
      List<Finding> findings) {
    return new IndexPage.Row(
        test,
        reason,
        message,
        duration,
        entities,
        page,
        findings,
        "given:one",
        "test (pid 1)",
        0L,
        0L,
        java.util.Optional.empty());
  }
}
