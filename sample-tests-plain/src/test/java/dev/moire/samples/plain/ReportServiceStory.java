package dev.moire.samples.plain;

import dev.moire.junit.MoireTracked;
import dev.moire.model.findings.FindingKind;
import dev.moire.samples.bad.KnownBad;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A one-thread executor waiting on its own subtask ({@link ReportService}). */
@KnownBad(
    finding = FindingKind.GLOBAL_STALL,
    story =
        "a report on Executors.newSingleThreadExecutor() submits its chart to the same executor"
            + " and waits for it")
@MoireTracked
@Timeout(5)
final class ReportServiceStory {
  @Test
  void buildsAReport() throws Exception {
    try (ReportService service = new ReportService()) {
      service.buildReport();
    }
  }
}
