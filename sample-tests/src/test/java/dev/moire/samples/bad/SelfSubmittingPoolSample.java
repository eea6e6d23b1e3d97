package dev.moire.samples.bad;

import dev.moire.junit.MoireTracked;
import dev.moire.model.findings.FindingKind;
import dev.moire.runtime.task.TrackedThreadPoolExecutor;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@KnownBad(
    finding = FindingKind.GLOBAL_STALL,
    story =
        "a report task on a one-thread pool submits its chart to the same pool and waits for it:"
            + " the chart is queued behind the task that waits for it")
@MoireTracked
@Timeout(10)
final class SelfSubmittingPoolSample {
  // The JDK type, holding the drop-in: was new ThreadPoolExecutor(1, 1, 0, SECONDS, queue).
  final ThreadPoolExecutor reports =
      new TrackedThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());

  String report() throws Exception {
    Future<String> chart = reports.submit(() -> "chart");
    return "report with " + chart.get(); // waits for a task queued behind this one
  }

  @Test
  void buildsAReport() throws Exception {
    try {
      reports.submit(this::report).get();
    } finally {
      reports.shutdownNow();
    }
  }
}
