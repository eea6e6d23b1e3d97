package dev.moire.samples.plain;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Builds reports on a one-thread executor. The bug: a report submits its chart to the same executor
 * and waits for it, but the chart is queued behind the report that waits for it.
 */
public final class ReportService implements AutoCloseable {
  private final ExecutorService reports = Executors.newSingleThreadExecutor();

  /** Builds a report on the executor and waits for it. */
  public String buildReport() throws Exception {
    return reports.submit(this::report).get();
  }

  private String report() throws Exception {
    Future<String> chart = reports.submit(() -> "chart");
    return "report with " + chart.get(); // waits for a task queued behind this one
  }

  @Override
  public void close() {
    reports.shutdownNow();
  }
}
